import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { encodeCard } from '../src/cards/encode.ts'
import { CARD_FORMATS, type CardFormat, renderCard } from '../src/cards/index.ts'
import { renderAll } from '../src/cards/render-pool.ts'
import { cardSvg } from '../src/cards/svg.ts'
import { loadBank } from '../src/quotes/load.ts'

// @NOTE `npm run bench`: what one card costs warm on one core, and how many cards a second all cores give, for
// the sample bank. Writes BENCHMARKS.md so the figures travel with the code that produced them.

const BANK = process.argv[2] ?? 'fixtures/asp21'
// One core means one libvips thread too (its pool would otherwise use the other core).
sharp.concurrency(1)
const ROUNDS = 3

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2
}
const ms = (x: number) => x.toFixed(1)

const loadAtStart = loadavg()[0] ?? 0
const bank = await loadBank(BANK)
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
let secondPass = 0
for (let r = 0; r < ROUNDS; r++) {
  for (const c of cards) {
    const t0 = performance.now()
    await renderCard(c.quote, bank.campaign, c.format)
    total.push(performance.now() - t0)
    const t1 = performance.now()
    const laid = await cardSvg(c.quote, bank.campaign, c.format)
    const t2 = performance.now()
    await encodeCard(laid.svg)
    encode.push(performance.now() - t2)
    layout.push(t2 - t1)
    if (r === 0 && laid.passes > 1) secondPass++
  }
}

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

const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU'
const rows = [
  ['warm, one core: median per card (satori layout + rasterise + PNG)', `${ms(median(total))} ms`],
  ['  of which layout and fit (satori, one pass)', `${ms(median(layout))} ms`],
  ['  of which rasterise + encode (sharp)', `${ms(median(encode))} ms`],
  [
    `all ${threads} cores: cards per second (${jobs.length} cards, worker start-up included)`,
    (jobs.length / poolSecs).toFixed(1),
  ],
  ['cold first card of a process', `${ms(cold)} ms`],
  ['cache hit: per card (read + write the output file)', `${ms(hitMs)} ms`],
  ['cards whose predicted size needed a second satori pass', `${secondPass} of ${cards.length}`],
]
const md = `# Benchmarks

Card rendering for the sample bank (\`${BANK}\`: ${bank.quotes.length} quotes × ${formats.length} formats = ${cards.length} cards).

- Command: \`npm run bench\` (\`tsx bench/run.ts\`)
- Machine: ${cpu}, ${cpus().length} cores (${threads} available), Node ${process.version}, ${process.platform}/${process.arch}
- Load average (1 min) when the run started: ${loadAtStart.toFixed(2)}${loadAtStart > threads / 2 ? ' — other work shared the cores, so these figures are pessimistic' : ''}
- Date: ${new Date().toISOString().slice(0, 10)}; ${ROUNDS} warm rounds per card, no cache unless stated${failed ? `; ${failed} cards failed` : ''}

| measure | value |
|---|---|
${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}

The fit is predicted from the fonts' advance widths and checked by the one satori layout the card needs anyway;
before, a six-step search cost about 25 ms a card (DESIGN.md). Rasterising and encoding are the floor.
`
await writeFile('BENCHMARKS.md', md)
process.stdout.write(md)
