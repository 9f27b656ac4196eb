import { describe, expect, it } from 'vitest'
import { uncoveredCharacters } from '../../src/cards/coverage.ts'
import { encodeCard } from '../../src/cards/encode.ts'
import { GEOMETRY, LINE_HEIGHT, quoteBox } from '../../src/cards/geometry.ts'
import { cardSvg } from '../../src/cards/svg.ts'
import { breakBurmese, prepareText, ZWSP } from '../../src/cards/text.ts'
import { campaign, diff, inside, makeQuote, pixels } from './helpers.ts'

async function drawn(text: string, opts: { hideQuote?: boolean } = {}) {
  const q = makeQuote({ text, language: /\p{Script=Arabic}/u.test(text) ? 'ar' : 'my' })
  const laid = await cardSvg(q, campaign, 'landscape', opts)
  return { laid, px: await pixels((await encodeCard(laid.svg)).data) }
}

describe('Arabic', () => {
  it('"في لاهاي" keeps the two dots under its final ي (satori mark offsets patched)', async () => {
    // The same phrase with dotless ى (U+0649) draws the same letters without the dots, so the pixels that differ
    // are exactly the dots of the two ي. Drawn right, they hang below the letters' bodies; with satori's sign
    // bug they jump above them.
    const dotted = await drawn('في لاهاي')
    const dotless = await drawn('فى لاهاى')
    const blank = await drawn('في لاهاي', { hideQuote: true })
    const dots = diff(dotted.px, dotless.px)
    const body = diff(dotless.px, blank.px)
    expect(dots.length).toBeGreaterThan(30)
    expect(body.length).toBeGreaterThan(1000)
    const bodyBottom = Math.max(...body.map((p) => p.y))
    const bodyTop = Math.min(...body.map((p) => p.y))
    // Every dot pixel lies below the lowest ink of the dotless letters, none near their top.
    expect(Math.min(...dots.map((p) => p.y))).toBeGreaterThan(bodyBottom)
    expect(dots.every((p) => p.y > bodyTop)).toBe(true)
    // And the dots belong under the left end of each word (the final letter in right-to-left text).
    const size = dotted.laid.sizes.quote
    expect(Math.max(...dots.map((p) => p.y)) - bodyBottom).toBeLessThan(size * 0.5)
  })

  it('is laid out right to left: the first word is at the right', async () => {
    const first = await drawn('في لاهاي')
    const onlyFirst = await drawn('في')
    const blank = await drawn('في', { hideQuote: true })
    const whole = diff(first.px, blank.px)
    const word = diff(onlyFirst.px, blank.px)
    const box = quoteBox(GEOMETRY.landscape, 'arabic')
    expect(Math.max(...whole.map((p) => p.x))).toBeGreaterThan(box.left + box.width * 0.9)
    expect(Math.max(...word.map((p) => p.x))).toBeGreaterThan(box.left + box.width * 0.9)
  })
})

describe('Burmese', () => {
  const text =
    'မြန်မာနိုင်ငံတွင် ကျူးလွန်ခဲ့သော ရာဇဝတ်မှုများအတွက် တာဝန်ခံမှု ရှိရမည်ဖြစ်ပြီး ICC သည် ရိုဟင်ဂျာ ဒုက္ခသည်များ၏ အသံကို နားထောင်ရမည်။ တရားမျှတမှုသည် နှောင့်နှေးနေသော်လည်း မလွဲမသွေ ရောက်ရှိရမည်ဖြစ်သည်။ '.repeat(
      2,
    )

  it('marks word boundaries with zero-width spaces, never inside a syllable', () => {
    const broken = breakBurmese('မြန်မာနိုင်ငံတွင်')
    expect(broken).toContain(ZWSP)
    expect(broken.replaceAll(ZWSP, '')).toBe('မြန်မာနိုင်ငံတွင်')
    // A ZWSP never lands before a combining mark (that would split a syllable).
    expect(/\u200b\p{M}/u.test(breakBurmese(text))).toBe(false)
  })

  it('wraps onto several lines inside the box, at line height 1.75', async () => {
    const card = await drawn(text.trim())
    const blank = await drawn(text.trim(), { hideQuote: true })
    const ink = diff(card.px, blank.px)
    const box = quoteBox(GEOMETRY.landscape, 'myanmar')
    expect(ink.length).toBeGreaterThan(1000)
    expect(ink.filter((p) => !inside(p, box))).toEqual([])
    const node = card.laid.nodes.get('quote-text')
    const lineHeight = card.laid.sizes.quote * LINE_HEIGHT.myanmar
    expect(LINE_HEIGHT.myanmar).toBe(1.75)
    expect(Math.round((node?.height ?? 0) / lineHeight)).toBeGreaterThanOrEqual(4)
    // The text uses the width: ink reaches near both edges of the box.
    expect(Math.max(...ink.map((p) => p.x))).toBeGreaterThan(box.left + box.width * 0.8)
  })
})

describe('emoji and uncovered characters', () => {
  it('draws emoji from Twemoji, in colour, inside the quote box', async () => {
    const q = makeQuote({ text: 'Justice for the Netherlands 🇳🇱 and for all ✊🏽' })
    const card = await cardSvg(q, campaign, 'landscape')
    const blank = await cardSvg(q, campaign, 'landscape', { hideQuote: true })
    const a = await pixels((await encodeCard(card.svg)).data)
    const b = await pixels((await encodeCard(blank.svg)).data)
    const ink = diff(a, b)
    expect(ink.filter((p) => !inside(p, quoteBox(GEOMETRY.landscape, 'latin')))).toEqual([])
    // The flag's red band (#AE1C28 in Twemoji): a colour neither the theme nor plain text has.
    const red = ink.filter(({ x, y }) => {
      const i = (y * a.width + x) * a.channels
      return (a.data[i] ?? 0) > 140 && (a.data[i + 1] ?? 0) < 70 && (a.data[i + 2] ?? 0) < 80
    })
    expect(red.length).toBeGreaterThan(50)
  })

  it('refuses a character no card font draws instead of drawing an empty box', async () => {
    const q = makeQuote({ text: 'Justice 正義' })
    await expect(cardSvg(q, campaign, 'landscape')).rejects.toThrow(
      /no card font draws "正" U\+6B63, "義" U\+7FA9/,
    )
  })
})

describe('French', () => {
  it('keeps guillemets and the punctuation French spaces off a line of their own', () => {
    expect(prepareText('« La Cour » : justice !', 'fr')).toBe('«\u00a0La Cour\u00a0»\u00a0: justice\u00a0!')
    expect(prepareText('Justice : now', 'en')).toBe('Justice : now')
    expect(uncoveredCharacters(prepareText('« œuvre » — été', 'fr'))).toEqual([])
  })
})
