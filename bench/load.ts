import { loadBank } from '../src/quotes/load.ts'
import type { GeneratedBank } from './bank.ts'
import { growth } from './growth.ts'
import { count, ms, peakRssMb, steady } from './measure.ts'
import type { Section } from './report.ts'

// Reading and checking the bank is what every command starts with (plan, schedule, the reconcile sweep).

export async function loadSection(banks: GeneratedBank[]): Promise<Section> {
  const rows: string[][] = []
  const times: number[] = []
  for (const b of banks) {
    const { ms: t, value: bank } = await steady(() => loadBank(b.dir))
    // A bank that lost quotes to errors would time less work than the row claims.
    const errors = bank.problems.filter((p) => p.severity === 'error')
    if (bank.quotes.length !== b.n || errors.length > 0)
      throw new Error(`generated bank of ${b.n} loaded ${bank.quotes.length} quotes, ${errors.length} errors`)
    times.push(t)
    rows.push([
      count(b.n),
      (b.bytes / 2 ** 20).toFixed(2),
      ms(t),
      ((t * 1000) / b.n).toFixed(0),
      String(bank.problems.length),
      peakRssMb(),
    ])
  }
  return {
    title: 'Load and validate the bank',
    intro:
      '`loadBank` on a generated quotes.yaml (the sample quotes varied, ids unique, consent granted) beside the ' +
      'sample campaign.yaml: read, parse, schema and rules. Median of 3 runs after one warm-up run.',
    header: [
      'quotes',
      'quotes.yaml (MB)',
      'load + validate (ms)',
      'µs per quote',
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
