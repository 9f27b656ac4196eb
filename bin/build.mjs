// @NOTE `npm run build` (and `prepare`, so every `npm install`): tsc turns src/ and queues/ into JavaScript in
// dist/, file for file (tsconfig.build.json), then this checks that no relative import still names a `.ts` file
// (tsc does not rewrite a dynamic `import('./x.ts')` inside `export default …`; it would fail only when that
// code runs), stores what `validate` asks of the card fonts, bundles the command line into dist/cli/
// (bin/bundle.mjs), and writes the stamp that says dist/ is complete (bin/dist.mjs).
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundleCli, bundleValidateScript } from './bundle.mjs'
import { STAMP } from './dist.mjs'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const DIST = join(ROOT, 'dist')
const TS_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*)(['"])\.{1,2}\/[^'"]*\.[cm]?tsx?\1/

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' })
if (r.status !== 0) process.exit(r.status ?? 1)

const left = []
for (const entry of readdirSync(DIST, { recursive: true })) {
  if (!entry.endsWith('.js')) continue
  const lines = readFileSync(join(DIST, entry), 'utf8').split('\n')
  lines.forEach((line, i) => {
    if (TS_IMPORT.test(line)) left.push(`${relative(ROOT, join(DIST, entry))}:${i + 1}  ${line.trim()}`)
  })
}
if (left.length > 0) {
  process.stderr.write(
    `build: tsc left imports of .ts files (move each dynamic import out of \`export default …\`):\n${left.join('\n')}\n`,
  )
  process.exit(1)
}
// What `validate` asks of the card fonts, read once here rather than at every start (src/cards/font-facts.ts).
const { storeFontFacts } = await import('../dist/src/cards/font-facts.js')
storeFontFacts()

await bundleCli(DIST)
await bundleValidateScript(DIST)

writeFileSync(STAMP, `${new Date().toISOString()}\n`)
