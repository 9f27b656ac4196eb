import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { encodeCard } from '../../src/cards/encode.ts'
import { CardFitError } from '../../src/cards/fit-error.ts'
import {
  CARD_FORMATS,
  type CardFormat,
  cardCacheKey,
  contrastRatio,
  MAX_CARD_BYTES,
  renderCard,
  themePairs,
} from '../../src/cards/index.ts'
import { cardSvg } from '../../src/cards/svg.ts'
import { campaign, makeQuote, tmpDir } from './helpers.ts'

const FORMATS = Object.keys(CARD_FORMATS) as CardFormat[]
const X_LIMIT = 5 * 1024 * 1024

/**
 * A card-sized stand-in for a photo-like background: random pixels (xorshift, seeded) that no PNG compresses.
 * Small (320×180), so the fallbacks are exercised in a second or two, not the 17 s of a full-size noise render.
 */
async function noiseSvg(w = 320, h = 180): Promise<string> {
  let s = 7
  const px = Buffer.alloc(w * h * 3)
  for (let i = 0; i < px.length; i++) {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    px[i] = s & 255
  }
  const png = await sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toBuffer()
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${w}" height="${h}"><image width="${w}" height="${h}" xlink:href="data:image/png;base64,${png.toString('base64')}"/></svg>`
}

describe('theme contrast', () => {
  it('every text/background pair of the theme reaches WCAG AA (4.5:1)', () => {
    const pairs = themePairs()
    expect(pairs.length).toBeGreaterThanOrEqual(4)
    for (const p of pairs) expect(contrastRatio(p.text, p.background), p.name).toBeGreaterThanOrEqual(4.5)
  })
  it('computes WCAG ratios (black on white 21:1, grey #777 on white ≈ 4.48)', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2)
  })
})

describe('encoding', () => {
  const q = makeQuote({
    id: 'nur-rohingya-victim',
    text: 'It is crucial for the ICC to hear the voices of the victims, those who were tortured, raped, and burned by the Myanmar military.',
    speaker: { name: 'Nur', role: 'a Rohingya victim', victim: true },
  })

  for (const format of FORMATS) {
    it(`${format}: a PNG of the format's size, under Bluesky's and X's limits`, async () => {
      const card = await renderCard(q, campaign, format)
      const meta = await sharp(card.data).metadata()
      expect(card.mime).toBe('image/png')
      expect(meta.format).toBe('png')
      expect([meta.width, meta.height]).toEqual([CARD_FORMATS[format].width, CARD_FORMATS[format].height])
      expect(card.data.length).toBeLessThan(MAX_CARD_BYTES)
      expect(card.data.length).toBeLessThan(X_LIMIT)
    })
  }

  it('the same input gives the same bytes on a second render', async () => {
    const a = await renderCard(q, campaign, 'landscape')
    const b = await renderCard(q, campaign, 'landscape')
    expect(a.cached).toBe(false)
    expect(b.cached).toBe(false)
    expect(Buffer.from(b.data).equals(Buffer.from(a.data))).toBe(true)
  })

  it('falls back to a palette PNG, then JPEG, when a PNG is over the limit', async () => {
    const { svg } = await cardSvg(q, campaign, 'landscape')
    const full = await encodeCard(svg)
    const palette = await encodeCard(svg, full.data.length - 1)
    expect(palette.mime).toBe('image/png')
    expect(palette.data.length).toBeLessThan(full.data.length)
    expect((await sharp(palette.data).metadata()).isPalette).toBe(true)
    // A busy picture (a photo-like background) does not compress as PNG: then JPEG, at the best quality that fits.
    // Noise: PNG 198 KB, palette PNG 59 KB, so under 50 KB only JPEG fits.
    const jpeg = await encodeCard(await noiseSvg(), 50_000)
    expect(jpeg.mime).toBe('image/jpeg')
    expect(jpeg.data.length).toBeLessThanOrEqual(50_000)
    expect((await sharp(jpeg.data).metadata()).format).toBe('jpeg')
  })

  it('a card that no encoding brings under the limit is a CardFitError with the fix, not a bug', async () => {
    const { svg } = await cardSvg(q, campaign, 'landscape')
    const err = await encodeCard(svg, 1_000).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CardFitError)
    expect(String(err)).toMatch(/stays over 1000 bytes even as JPEG at quality 60 \(shorten the quote/)
  })
})

describe('cache', () => {
  it('a second render of an unchanged card is read from the cache, with the same bytes', async () => {
    const cacheDir = await tmpDir()
    const q = makeQuote({ text: 'Justice for all people of Myanmar.' })
    const first = await renderCard(q, campaign, 'square', { cacheDir })
    const second = await renderCard(q, campaign, 'square', { cacheDir })
    expect(first.cached).toBe(false)
    expect(second.cached).toBe(true)
    expect(second.key).toBe(first.key)
    expect(second.path).toBe(first.path)
    expect(Buffer.from(second.data).equals(Buffer.from(first.data))).toBe(true)
    expect(await readdir(join(cacheDir, 'cards'))).toEqual([`${first.key}.png`])
  })

  it('the key changes with what the card shows and its format, not with fields it does not show', () => {
    const q = makeQuote()
    const key = cardCacheKey(q, campaign, 'landscape')
    expect(cardCacheKey(makeQuote({ text: 'Another quote.' }), campaign, 'landscape')).not.toBe(key)
    expect(cardCacheKey(makeQuote({ situation: 'Palestine' }), campaign, 'landscape')).not.toBe(key)
    expect(cardCacheKey(makeQuote({ excerpt: 'Justice […] denied.' }), campaign, 'landscape')).not.toBe(key)
    expect(cardCacheKey(q, { ...campaign, hashtags: ['#NGOVoices'] }, 'landscape')).not.toBe(key)
    expect(cardCacheKey(q, campaign, 'square')).not.toBe(key)
    expect(cardCacheKey(makeQuote({ priority: 5, themes: ['budget'] }), campaign, 'landscape')).toBe(key)
  })
})
