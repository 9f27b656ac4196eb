import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadBank } from '../src/quotes/load.ts'
import { loadBankCached } from '../src/quotes/parse-cache.ts'
import { readYamlQuotesByEvents } from '../src/quotes/yaml-events.ts'
import type { GeneratedBank } from './bank.ts'
import { growth } from './growth.ts'
import { count, ms, peakRssMb, steady } from './measure.ts'
import type { Section } from './report.ts'

// Reading and checking the bank is what every command starts with (plan, schedule, the reconcile sweep).

export async function loadSection(banks: GeneratedBank[]): Promise<Section> {
  const rows: string[][] = []
  const times: number[] = []
  const cacheDir = await mkdtemp(join(tmpdir(), 'ngovoices-bench-parsed-'))
  const mark = (x: number, target: number) => `${ms(x)}${x <= target ? ' ✓' : ' ✗'}`
  for (const b of banks) {
    // The intro says these banks are read from js-yaml's events: a bank the events path declined would be
    // timed on yaml's tree instead.
    if (!readYamlQuotesByEvents(await readFile(join(b.dir, 'quotes.yaml'), 'utf8'), 'quotes.yaml'))
      throw new Error(`generated bank of ${b.n} is not read from js-yaml's events`)
    const { ms: t, value: bank } = await steady(() => loadBank(b.dir))
    // A bank that lost quotes to errors would time less work than the row claims.
    const errors = bank.problems.filter((p) => p.severity === 'error')
    if (bank.quotes.length !== b.n || errors.length > 0)
      throw new Error(`generated bank of ${b.n} loaded ${bank.quotes.length} quotes, ${errors.length} errors`)
    times.push(t)
    // The parse cache: a changed bank (one comment line more each time) is parsed and stored; an unchanged one
    // is read back. Targets apply at 10,000 quotes.
    let edits = 0
    const changed = await steady(async () => {
      await appendFile(join(b.dir, 'quotes.yaml'), `# bench edit ${edits++}\n`)
      return loadBankCached(b.dir, cacheDir)
    })
    const same = await steady(() => loadBankCached(b.dir, cacheDir))
    const big = b.n >= 10_000
    rows.push([
      count(b.n),
      (b.bytes / 2 ** 20).toFixed(2),
      ms(t),
      ((t * 1000) / b.n).toFixed(0),
      big ? mark(same.ms, 150) : ms(same.ms),
      big ? mark(changed.ms, 2000) : ms(changed.ms),
      String(bank.problems.length),
      peakRssMb(),
    ])
  }
  await rm(cacheDir, { recursive: true, force: true })
  return {
    title: 'Load and validate the bank',
    intro:
      '`loadBank` on a generated quotes.yaml (the sample quotes varied, ids unique, consent granted) beside the ' +
      'sample campaign.yaml: read, parse, schema and rules. The file has the usual shape (a block list of quotes at ' +
      "the margin), so it is read from js-yaml's events (`src/quotes/yaml-events.ts`); a file that path declines " +
      "is read by yaml's node tree. Median of 3 runs after one warm-up run. Then the same " +
      'through the on-disk parse cache (`src/quotes/parse-cache.ts`, what the worker, its sweep and `schedule` use): ' +
      'unchanged (hash the files, read the stored load back) and changed (a line added before each run: parse and ' +
      'store). Targets at 10,000 quotes: unchanged ≤ 150 ms, changed ≤ 2 s.',
    header: [
      'quotes',
      'quotes.yaml (MB)',
      'load + validate (ms)',
      'µs per quote',
      'unchanged, parse cache (ms)',
      'changed, parse + store (ms)',
      'problems',
      'peak RSS (MB)',
    ],
    rows,
    notes: [
      growth(
        'Load + validate',
        banks.map((b) => b.n),
        times,
        'quotes',
      ),
    ],
    peakRssMb: peakRssMb(),
  }
}
