import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureBuilt } from '../bin/dist.mjs'
import { type GeneratedBank, writeBank } from './bank.ts'
import { cardSection } from './cards.ts'
import { composeSection } from './compose.ts'
import { latenessSection } from './lateness.ts'
import { loadSection } from './load.ts'
import { peakRssMb } from './measure.ts'
import { memorySection } from './memory.ts'
import { planSection } from './plan.ts'
import { reportMd, type Section } from './report.ts'
import { startupSection } from './startup.ts'
import { syncSection } from './sync.ts'

// @NOTE `npm run bench [bank] [--only section,…]`: how the cost of loading, planning, composing and syncing grows from a week's
// bank to the 10,000 threads the design must hold, and what a card costs. Writes BENCHMARKS.md so the figures
// travel with the code that produced them.

/** What docker-compose.yml sets for the worker service. */
const WORKER_ENV = { MALLOC_ARENA_MAX: '1', NODE_OPTIONS: '--max-semi-space-size=1' }
const args = process.argv.slice(2)
const onlyAt = args.indexOf('--only')
/** Sections whose name starts with one of these (`--only sync`, or BENCH_ONLY): printed, never written. */
const only = (onlyAt >= 0 ? args.splice(onlyAt, 2)[1] : process.env.BENCH_ONLY)?.split(',')
const BANK = args[0] ?? 'fixtures/asp21'
/** A week of a session (~150 threads), a long campaign, and the 10,000 the design must hold. */
const SIZES = [150, 1000, 10_000]

// The start-up, lateness and memory sections run the built CLI and worker (dist/), as a person would.
ensureBuilt()
const started = new Date()
const loadAtStart = loadavg()[0] ?? 0
const baseRssMb = peakRssMb()
const log = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`)
const tmp = await mkdtemp(join(tmpdir(), 'ngovoices-bench-'))
const sections: Section[] = []
try {
  const banks: GeneratedBank[] = []
  for (const n of SIZES) banks.push(await writeBank(BANK, n, join(tmp, `bank-${n}`)))
  // Cards late: the render pool's threads would otherwise set the peak RSS every other section reports. The
  // worker processes of the lateness and memory sections are measured on their own.
  const steps: [string, () => Promise<Section[]>][] = [
    ['start-up', async () => [await startupSection()]],
    ['load + validate', async () => [await loadSection(banks)]],
    ['plan', async () => [await planSection()]],
    ['compose', async () => [await composeSection(banks)]],
    ['sync into Redis', async () => [await syncSection(banks, tmp)]],
    ['cards (and Chromium)', async () => [await cardSection(BANK)]],
    [
      'lateness and worker memory',
      async () => {
        // Twice: as installed, and with the settings docker-compose gives the worker.
        const plain = await latenessSection(BANK, join(tmp, 'late-plain'), {})
        const arena = await latenessSection(BANK, join(tmp, 'late-tuned'), WORKER_ENV)
        // And on BENCH_NODE (Node 24), where the worker re-executes itself with those settings.
        const other = process.env.BENCH_NODE
        const self = other ? await latenessSection(BANK, join(tmp, 'late-self'), {}, other) : undefined
        const selfRow =
          other && self
            ? { node: execFileSync(other, ['--version']).toString().trim(), peaks: self.workerPeakMb }
            : undefined
        return [plain.section, memorySection(plain.workerPeakMb, arena.workerPeakMb, selfRow)]
      },
    ],
  ]
  for (const [name, step] of steps) {
    if (only && !only.some((o) => name.startsWith(o))) continue
    log(`${name}…`)
    const load = loadavg()[0] ?? 0
    sections.push(...(await step()).map((sec) => ({ ...sec, loadAtStart: load })))
  }
} finally {
  await rm(tmp, { recursive: true, force: true })
}
const md = reportMd({
  command: `${process.env.BENCH_NODE ? `BENCH_NODE=${process.env.BENCH_NODE} ` : ''}npm run bench${args[0] ? ` ${BANK}` : ''}${only ? ` -- --only ${only.join(',')}` : ''}`,
  started,
  loadAtStart,
  loadAtEnd: loadavg()[0] ?? 0,
  baseRssMb,
  sections,
})
// A partial run is printed only: BENCHMARKS.md keeps every section from one run.
if (!only) await writeFile('BENCHMARKS.md', md)
process.stdout.write(md)
