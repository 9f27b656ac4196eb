import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { type GeneratedBank, writeBank } from './bank.ts'
import { cardSection } from './cards.ts'
import { composeSection } from './compose.ts'
import { loadSection } from './load.ts'
import { peakRssMb } from './measure.ts'
import { planSection } from './plan.ts'
import { reportMd, type Section } from './report.ts'
import { syncSection } from './sync.ts'

// @NOTE `npm run bench [bank]`: how the cost of loading, planning, composing and syncing grows from a week's
// bank to the 10,000 threads the design must hold, and what a card costs. Writes BENCHMARKS.md so the figures
// travel with the code that produced them.

const BANK = process.argv[2] ?? 'fixtures/asp21'
/** A week of a session (~150 threads), a long campaign, and the 10,000 the design must hold. */
const SIZES = [150, 1000, 10_000]

const started = new Date()
const loadAtStart = loadavg()[0] ?? 0
const baseRssMb = peakRssMb()
const log = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`)
const tmp = await mkdtemp(join(tmpdir(), 'ngovoices-bench-'))
const sections: Section[] = []
try {
  const banks: GeneratedBank[] = []
  for (const n of SIZES) banks.push(await writeBank(BANK, n, join(tmp, `bank-${n}`)))
  // Cards last: the render pool's workers would otherwise set the peak RSS every other section reports.
  const steps: [string, () => Promise<Section>][] = [
    ['load + validate', () => loadSection(banks)],
    ['plan', () => planSection()],
    ['compose', () => composeSection(banks)],
    ['sync into Redis', () => syncSection(banks, tmp)],
    ['cards', () => cardSection(BANK)],
  ]
  for (const [name, step] of steps) {
    log(`${name}…`)
    sections.push(await step())
  }
} finally {
  await rm(tmp, { recursive: true, force: true })
}
const md = reportMd({
  command: `npm run bench${process.argv[2] ? ` ${BANK}` : ''}`,
  started,
  loadAtStart,
  loadAtEnd: loadavg()[0] ?? 0,
  baseRssMb,
  sections,
})
await writeFile('BENCHMARKS.md', md)
process.stdout.write(md)
