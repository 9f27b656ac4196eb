import { mkdtemp, rm } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { encodeCard } from '../src/cards/encode.ts'
import { CARD_FORMATS, type CardFormat, renderCard } from '../src/cards/index.ts'
import { renderAll } from '../src/cards/render-job.ts'
import { cardSvg } from '../src/cards/svg.ts'
import { loadBank } from '../src/quotes/load.ts'
import { CHROMIUM, CHROMIUM_FLAGS, raceChromium } from './chromium.ts'
import { count, median, ms, peakRssMb } from './measure.ts'
import type { Section } from './report.ts'

// What one card costs warm on one core, and how many cards a second all cores give, for the sample bank.

const ROUNDS = 3
/** The bank the design must hold, for what its cards would cost. */
const BIG_BANK = 10_000
const minutes = (secs: number) => `${(secs / 60).toFixed(0)} min`

export async function cardSection(bankDir: string): Promise<Section> {
  // One core means one libvips thread too (its pool would otherwise use the other core).
  sharp.concurrency(1)
  const bank = await loadBank(bankDir)
  for (const p of bank.problems) process.stderr.write(`warning: ${p.file}:${p.line} ${p.message}\n`)
  const formats = Object.keys(CARD_FORMATS) as CardFormat[]
  const cards = bank.quotes.flatMap((quote) => formats.map((format) => ({ quote, format })))
  process.stderr.write(`${cards.length} cards (${bank.quotes.length} quotes × ${formats.length} formats)\n`)

  // Cold: the first card of the process pays for reading fonts, compiling satori's WebAssembly and the JIT.
  const coldStart = performance.now()
  const first = cards[0]
  if (first) await renderCard(first.quote, bank.campaign, first.format)
  const cold = performance.now() - coldStart
  for (const c of cards) await renderCard(c.quote, bank.campaign, c.format)

  // Warm, one core, no cache: the whole card, and its two stages apart.
  const total: number[] = []
  const layout: number[] = []
  const encode: number[] = []
  const svgs: { svg: string; width: number; height: number }[] = []
  let bytes = 0
  let secondPass = 0
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of cards) {
      const t0 = performance.now()
      const card = await renderCard(c.quote, bank.campaign, c.format)
      total.push(performance.now() - t0)
      const t1 = performance.now()
      const laid = await cardSvg(c.quote, bank.campaign, c.format)
      const t2 = performance.now()
      await encodeCard(laid.svg)
      encode.push(performance.now() - t2)
      layout.push(t2 - t1)
      if (r === 0 && laid.passes > 1) secondPass++
      if (r === 0) {
        svgs.push({ svg: laid.svg, ...CARD_FORMATS[c.format] })
        bytes += card.data.length
      }
    }
  }

  // The browser, on the same cards, in the same run (so the same load on the machine).
  const browser = await raceChromium(svgs, ROUNDS)
  const ours = median(total)
  const vsWarm = ours / browser.warmPage
  const vsNew = browser.newPage / ours
  const mark = (ok: boolean) => (ok ? '✓' : '✗')

  // All cores: the render command's own pool, fresh cache, the bank three times over so start-up is not all we see.
  const threads = availableParallelism()
  const dir = await mkdtemp(join(tmpdir(), 'ngovoices-bench-'))
  const jobs = Array.from({ length: 3 }, (_, i) =>
    cards.map((c) => ({
      quote: c.quote,
      campaign: bank.campaign,
      format: c.format,
      outDir: join(dir, `out${i}`),
    })),
  ).flat()
  const poolStart = performance.now()
  const pooled = await renderAll(jobs, { threads })
  const poolSecs = (performance.now() - poolStart) / 1000
  const failed = pooled.filter((r) => !r.ok).length

  // Cache hits: a second pass over a filled cache reads files instead of drawing.
  const cacheDir = join(dir, 'cache')
  const hitJobs = cards.map((c) => ({ ...c, campaign: bank.campaign, outDir: join(dir, 'hits'), cacheDir }))
  await renderAll(hitJobs, { threads: 1 })
  const hitStart = performance.now()
  const hits = await renderAll(hitJobs, { threads: 1 })
  const hitMs = (performance.now() - hitStart) / hits.length
  await rm(dir, { recursive: true, force: true })

  return {
    title: 'Cards',
    intro:
      `Card rendering for the sample bank (\`${bankDir}\`: ${bank.quotes.length} quotes × ${formats.length} formats = ${cards.length} cards); ` +
      `${ROUNDS} warm rounds per card, no cache unless stated${failed ? `; ${failed} cards failed` : ''}.`,
    header: ['measure', 'value', 'target'],
    rows: [
      [
        'warm, one core: median per card (satori layout + resvg + PNG)',
        `${ms(ours)} ms ${mark(ours <= 40)}`,
        '≤ 40 ms',
      ],
      ['  of which layout and fit (satori, one pass)', `${ms(median(layout))} ms`, '—'],
      ['  of which rasterise + encode (resvg, sharp PNG)', `${ms(median(encode))} ms`, '—'],
      [
        `Chromium ${browser.version}, one warm page, CDP capture (optimizeForSpeed): median per card`,
        `${ms(browser.warmPage)} ms`,
        '—',
      ],
      ['  ours ÷ Chromium warm page', `${vsWarm.toFixed(2)}× ${mark(vsWarm <= 1.25)}`, '≤ 1.25×'],
      ['Chromium, a new page per card: median per card', `${ms(browser.newPage)} ms`, '—'],
      ['  Chromium new page ÷ ours', `${vsNew.toFixed(1)}× ${mark(vsNew >= 7)}`, '≥ 7×'],
      [
        'PNG size, mean per card: ours / Chromium warm page',
        `${(bytes / cards.length / 1024).toFixed(0)} KB / ${(browser.warmBytes / cards.length / 1024).toFixed(0)} KB`,
        '—',
      ],
      [
        `all ${threads} cores: cards per second (${jobs.length} cards, worker start-up included)`,
        (jobs.length / poolSecs).toFixed(1),
        '—',
      ],
      ['cold first card of a process', `${ms(cold)} ms`, '—'],
      ['cache hit: per card (read + write the output file)', `${ms(hitMs)} ms`, '—'],
      ['cards whose predicted size needed a second satori pass', `${secondPass} of ${cards.length}`, '—'],
    ],
    notes: [
      // Cards do not depend on each other, so the bank's size enters only through their number.
      `A card's cost does not depend on the bank: the ${count(BIG_BANK * formats.length)} cards of ${count(BIG_BANK)} quotes ` +
        `would take about ${minutes((BIG_BANK * formats.length * poolSecs) / jobs.length)} on all ${threads} cores ` +
        `at this rate, or ${minutes((BIG_BANK * formats.length * median(total)) / 1000)} warm on one core; once ` +
        'rendered they are cached.',
      "The fit is predicted from the fonts' advance widths and checked by the one satori layout the card needs anyway;\n" +
        'before, a six-step search cost about 25 ms a card (DESIGN.md). Rasterising and encoding are the floor.',
      `Chromium (\`${CHROMIUM}\`, ${CHROMIUM_FLAGS.join(' ')}, driven by playwright-core) is given each card's SVG as ` +
        'satori laid it out, so it skips the layout step ours pays for; it spreads its work over several processes ' +
        'and both cores, while ours is timed on one. Its warm page is timed over the same rounds as ours, the new ' +
        'page recipe once per card.',
    ],
    peakRssMb: peakRssMb(),
  }
}
