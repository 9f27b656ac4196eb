import { execFileSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { GeneratedBank } from './bank.ts'
import { growth } from './growth.ts'
import { count, ms, peakRssMb } from './measure.ts'
import type { Section } from './report.ts'

// Reading and checking the bank is what every command starts with (plan, schedule, the reconcile sweep).

/** What bench/load-child.mjs prints for one bank. */
interface ChildLoad {
  events: boolean
  loadMs: number
  changedMs: number
  sameMs: number
  quotes: number
  errors: number
  problems: number
  peakRssMb: number
}

export async function loadSection(banks: GeneratedBank[]): Promise<Section> {
  const rows: string[][] = []
  const times: number[] = []
  const mark = (x: number, target: number) => `${ms(x)}${x <= target ? ' ✓' : ' ✗'}`
  for (const b of banks) {
    const cacheDir = await mkdtemp(join(tmpdir(), 'ngovoices-bench-parsed-'))
    const out = execFileSync(process.execPath, ['bench/load-child.mjs', b.dir, cacheDir], {
      maxBuffer: 1 << 20,
    })
    await rm(cacheDir, { recursive: true, force: true })
    const r = JSON.parse(out.toString()) as ChildLoad
    if (!r.events) throw new Error(`generated bank of ${b.n} is not read from js-yaml's events`)
    // A bank that lost quotes to errors would time less work than the row claims.
    if (r.quotes !== b.n || r.errors > 0)
      throw new Error(`generated bank of ${b.n} loaded ${r.quotes} quotes, ${r.errors} errors`)
    times.push(r.loadMs)
    const big = b.n >= 10_000
    rows.push([
      count(b.n),
      (b.bytes / 2 ** 20).toFixed(2),
      ms(r.loadMs),
      ((r.loadMs * 1000) / b.n).toFixed(0),
      big ? mark(r.sameMs, 150) : ms(r.sameMs),
      big ? mark(r.changedMs, 2000) : ms(r.changedMs),
      String(r.problems),
      String(r.peakRssMb),
    ])
  }
  return {
    title: 'Load and validate the bank',
    intro:
      '`loadBank` on a generated quotes.yaml (the sample quotes varied, ids unique, consent granted) beside the ' +
      'sample campaign.yaml: read, parse, schema and rules. The file has the usual shape (a block list of quotes at ' +
      "the margin), so it is read from js-yaml's events (`src/quotes/yaml-events.ts`); a file that path declines " +
      "is read by yaml's node tree. Each size runs in a fresh process of the built code (`bench/load-child.mjs`), " +
      'as a command or a worker reads its bank: parsed after the smaller banks in one process, the 10,000 took ' +
      "js-yaml 2–4× the CPU (V8's allocation tuned to the small files). Median of 3 runs after one warm-up run. Then the same " +
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
      'peak RSS of its process (MB)',
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
