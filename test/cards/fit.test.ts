import { describe, expect, it } from 'vitest'
import { encodeCard } from '../../src/cards/encode.ts'
import { GEOMETRY, quoteBox } from '../../src/cards/geometry.ts'
import { CARD_FORMATS, type CardFormat, renderCard } from '../../src/cards/index.ts'
import { CardFitError, cardProblem, cardSvg } from '../../src/cards/svg.ts'
import { scriptOf } from '../../src/cards/text.ts'
import { MAX_CARD_CHARS } from '../../src/quotes/limits.ts'
import { campaign, diff, inside, makeQuote, pixels } from './helpers.ts'

// The quote's ink is found by drawing the card twice, with and without the quote's text: every pixel that differs
// must lie inside the quote box, and there must be some (else the test would pass on a blank card).

const upTo = (s: string, n: number) =>
  s
    .repeat(Math.ceil(n / s.length))
    .slice(0, n)
    .trimEnd()
const LONGEST = {
  english: upTo(
    'The Court must be given the resources to match its workload, year after year. ',
    MAX_CARD_CHARS,
  ),
  wide: upTo('WWWWWWWWWW MMMMMMMMMMMM ', MAX_CARD_CHARS),
  unbroken: 'M'.repeat(MAX_CARD_CHARS),
  arabic: upTo('يجب على المحكمة الجنائية الدولية في لاهاي أن تستمع إلى أصوات الضحايا. ', MAX_CARD_CHARS),
  burmese: upTo('မြန်မာနိုင်ငံတွင် ကျူးလွန်ခဲ့သော ရာဇဝတ်မှုများအတွက် တာဝန်ခံမှု ရှိရမည်။ ', MAX_CARD_CHARS),
}
const SHORTEST = { one: 'J', word: 'Justice.' }

// Realistic quotes at the length limit must be accepted in every format; freak ones (all wide capitals) may be
// refused by `validate`, and then they must never be drawn at all.
const MUST_FIT = new Set(['english', 'arabic', 'burmese', 'one', 'word'])

async function quoteInk(text: string, format: CardFormat) {
  const q = makeQuote({ text })
  const card = await renderCard(q, campaign, format)
  const without = await cardSvg(q, campaign, format, { hideQuote: true })
  const blank = await encodeCard(without.svg)
  const ink = diff(await pixels(card.data), await pixels(blank.data))
  return { ink, box: quoteBox(GEOMETRY[format], scriptOf(text)), size: without.sizes.quote }
}

describe('the quote fits its box exactly', () => {
  for (const format of Object.keys(CARD_FORMATS) as CardFormat[]) {
    for (const [name, text] of Object.entries({ ...SHORTEST, ...LONGEST })) {
      it(`${format}: ${name} (${[...text].length} chars) leaves no ink outside the quote box`, async () => {
        const problem = cardProblem(makeQuote({ text }), campaign, format)
        if (MUST_FIT.has(name)) expect(problem).toBeUndefined()
        if (problem) {
          await expect(renderCard(makeQuote({ text }), campaign, format)).rejects.toThrow(CardFitError)
          return
        }
        const { ink, box } = await quoteInk(text, format)
        expect(ink.length).toBeGreaterThan(20)
        const outside = ink.filter((p) => !inside(p, box))
        expect(outside).toEqual([])
      })
    }
    it(`${format}: a short quote gets the largest size, a long one a smaller but readable size`, async () => {
      const short = await quoteInk(SHORTEST.word, format)
      const long = await quoteInk(LONGEST.english, format)
      expect(short.size).toBe(GEOMETRY[format].quoteSize.max)
      expect(long.size).toBeLessThan(short.size)
      expect(long.size).toBeGreaterThanOrEqual(GEOMETRY[format].quoteSize.min)
      // The long quote fills its box: its ink reaches into the lower fifth, not a small block at the top.
      const lowest = Math.max(...long.ink.map((p) => p.y))
      expect(lowest).toBeGreaterThan(long.box.top + long.box.height * 0.8)
    })
  }

  it('a quote too long for the smallest readable size is refused with a fix, never drawn clipped', async () => {
    const q = makeQuote({ text: upTo('The Court must be given the resources to match its workload. ', 1500) })
    expect(cardProblem(q, campaign, 'landscape')).toMatch(/too long.*excerpt/)
    await expect(cardSvg(q, campaign, 'landscape')).rejects.toThrow(CardFitError)
    await expect(renderCard(q, campaign, 'square')).rejects.toThrow(/excerpt/)
  })
})
