#!/usr/bin/env node
// @NOTE Runs the JavaScript that `npm install` built into dist/ (its `prepare` script): no transpiler at run time,
// in this process or in its card-pool threads. After editing src/ or queues/ in a checkout, `npm run build`
// again; until then this stops with one line rather than run the older build (bin/dist.mjs).
import module from 'node:module'
import { staleBuild } from './dist.mjs'
import { reexecLean } from './lean-memory.mjs'

// Node ≥ 22.1 keeps the compiled code of every module on disk between runs; older Nodes have no such call.
module.enableCompileCache?.()

const stale = staleBuild()
if (stale) {
  process.stderr.write(`ngovoices: ${stale}; run \`npm run build\`\n`)
  process.exit(1)
}
// The long-running worker, alone, trades a re-start (about 0.1 s, once) for a smaller footprint all week.
if (process.argv[2] === 'worker') await reexecLean()
// `validate`, the command run most often by hand, starts from one script and its code cache (validate-script.mjs).
if (process.argv[2] === 'validate') (await import('./validate-script.mjs')).runValidateScript()
else await import('../dist/cli/main.js')
