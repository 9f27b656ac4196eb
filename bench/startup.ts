import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { ensureBuilt } from '../bin/dist.mjs'
import { median, ms, peakRssMb } from './measure.ts'
import type { Section } from './report.ts'

// How long a person waits for the command line: the built CLI (bin/ngovoices.mjs → dist/) spawned as they would
// run it, wall time from spawn to exit, Node's own start included.

const RUNS = 10
const CASES: { args: string[]; targetMs: number }[] = [
  { args: ['--help'], targetMs: 300 },
  { args: ['validate', 'fixtures/asp21'], targetMs: 250 },
]

const run = promisify(execFile)

/** The Node running the bench, and another given as BENCH_NODE (say Node 24, whose compile cache the CLI uses). */
const NODES = [process.execPath, ...(process.env.BENCH_NODE ? [process.env.BENCH_NODE] : [])]

async function wallMs(node: string, args: string[]): Promise<number> {
  const t0 = performance.now()
  await run(node, ['bin/ngovoices.mjs', ...args], { env: { ...process.env, NO_COLOR: '1' } })
  return performance.now() - t0
}

export async function startupSection(): Promise<Section> {
  ensureBuilt()
  const rows: string[][] = []
  for (const node of NODES) {
    const version = (await run(node, ['--version'])).stdout.trim()
    for (const { args, targetMs } of CASES) rows.push(await caseRow(node, version, args, targetMs))
  }
  const bare = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    await run(process.execPath, ['-e', '0'])
    bare.push(performance.now() - t0)
  }
  return {
    title: 'Start-up',
    intro:
      `The built CLI (\`node bin/ngovoices.mjs\`, running dist/ without a transpiler) spawned ${RUNS} times a ` +
      'command after one run not counted; wall time from spawn to exit. `--help` lists the commands from ' +
      "commands.ts's table without loading any of them. With `BENCH_NODE=<path to another node>` the same runs are " +
      'made on that Node too (Node ≥ 22 keeps compiled code on disk between runs, which the CLI turns on).',
    header: ['command', 'Node', 'median (ms)', 'fastest – slowest (ms)', 'target'],
    rows,
    notes: [
      `For scale: \`node -e 0\` alone takes ${ms(median(bare))} ms here (median of ${RUNS}). \`validate\` runs ` +
        'one script (dist/cli/validate.cjs: zod, yaml, luxon and js-yaml inside) with its code cache from the run ' +
        "not counted (bin/validate-script.mjs), makes the process's first Intl.DateTimeFormat (V8 lists ICU's " +
        'locales for it: some 115 M instructions) and parses the bank; it reads no font (what it checks of them ' +
        'is stored at build time, src/cards/font-facts.ts); csv-parse only for a CSV bank.',
    ],
    peakRssMb: peakRssMb(),
  }
}

async function caseRow(node: string, version: string, args: string[], targetMs: number): Promise<string[]> {
  // One run not counted: it pays for cold file caches (and fills Node's compile cache), once per person.
  await wallMs(node, args)
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) times.push(await wallMs(node, args))
  const m = median(times)
  return [
    `\`ngovoices ${args.join(' ')}\``,
    version,
    `${ms(m)} ${m <= targetMs ? '✓' : '✗'}`,
    `${ms(Math.min(...times))} – ${ms(Math.max(...times))}`,
    `≤ ${targetMs} ms`,
  ]
}
