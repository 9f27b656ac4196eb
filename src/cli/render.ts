import { mkdir } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { defineCommand } from 'citty'
import { CARD_DIR } from '../calendar/card-path.ts'
import { CARD_FORMATS, type CardFormat, isCardFormat } from '../cards/index.ts'
import { readConfig } from '../config.ts'
import { formatProblem, inputError } from '../core/problem.ts'
import { loadBank } from '../quotes/load.ts'
import { whyNotPostable } from '../quotes/postable.ts'
import { bankDirArg } from './args.ts'

function formatsArg(raw: string | undefined): CardFormat[] {
  if (!raw || raw === 'all') return Object.keys(CARD_FORMATS).filter(isCardFormat)
  const asked = raw.split(',').map((s) => s.trim())
  const bad = asked.filter((f) => !isCardFormat(f))
  if (bad.length > 0) {
    throw inputError(
      'arguments',
      `--format ${bad.join(',')} is not a card format`,
      `use ${Object.keys(CARD_FORMATS).join(', ')} or all (comma-separated)`,
    )
  }
  return asked.filter(isCardFormat)
}

/** Why a quote would never be scheduled as it stands (staff still preview its card). */

// @NOTE A few lines of our own on stderr, redrawn in place, only when a person is watching.
function progress(done: number, total: number, started: number): void {
  if (!process.stderr.isTTY) return
  const width = 28
  const filled = Math.round((done / total) * width)
  const secs = ((performance.now() - started) / 1000).toFixed(1)
  process.stderr.write(
    `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} cards  ${secs} s`,
  )
  if (done === total) process.stderr.write('\n')
}

// Loaded when it runs, not at the top: `ngovoices render --help` should not pay for satori and sharp. Declared
// outside `export default …`, where tsc leaves a dynamic import's `.ts` unrewritten (bin/build.mjs checks).
const renderJob = () => import('../cards/render-job.ts')

export default defineCommand({
  meta: { name: 'render', description: 'Render every quote card of a bank (all formats) with its alt text' },
  args: {
    dir: bankDirArg,
    format: {
      type: 'string',
      description: 'landscape, square, portrait or all; comma-separated (default all)',
    },
    out: { type: 'string', default: CARD_DIR, description: 'folder for <id>.<format>.png and .alt.txt' },
    threads: {
      type: 'string',
      description: `worker threads (default: one per core, ${availableParallelism()} here)`,
    },
    cache: {
      type: 'string',
      description: 'card cache folder (default: NGOVOICES_CACHE_DIR or .ngovoices/cache)',
    },
  },
  async run({ args }) {
    const formats = formatsArg(args.format)
    const threads = args.threads === undefined ? undefined : Number(args.threads)
    if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
      throw inputError('arguments', `--threads ${args.threads}`, 'give a whole number ≥ 1')
    }
    const cacheDir = args.cache ?? readConfig().cacheDir
    const bank = await loadBank(args.dir)
    for (const p of bank.problems) process.stderr.write(`${formatProblem(p)}\n`)
    // Once, here: an output folder that cannot be made is one message, not one per card.
    await mkdir(args.out, { recursive: true })
    const { renderAll } = await renderJob()
    const jobs = bank.quotes.flatMap((quote) =>
      formats.map((format) => ({ quote, campaign: bank.campaign, format, outDir: args.out, cacheDir })),
    )
    const started = performance.now()
    const results = await renderAll(jobs, {
      ...(threads ? { threads } : {}),
      onResult: (_r, done, total) => progress(done, total, started),
    })
    const secs = (performance.now() - started) / 1000
    const failed = results.filter((r) => !r.ok)
    const hits = results.filter((r) => r.ok && r.cached).length
    for (const r of failed) if (!r.ok) process.stderr.write(`✗ ${r.quoteId} (${r.format}): ${r.error}\n`)
    const held = bank.quotes.flatMap((q) => {
      const why = whyNotPostable(q)
      return why ? [`  ${q.id}: ${why}`] : []
    })
    const out = process.stdout
    out.write(
      `${results.length - failed.length} of ${jobs.length} cards (${bank.quotes.length} quotes × ${formats.length} formats) ` +
        `in ${secs.toFixed(1)} s: ${hits} from cache, ${failed.length} failed → ${args.out}\n`,
    )
    if (held.length > 0) out.write(`Rendered for preview but not schedulable:\n${held.join('\n')}\n`)
    return failed.length > 0 || bank.problems.some((p) => p.severity === 'error') ? 1 : 0
  },
})
