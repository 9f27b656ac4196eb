import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { renderCard } from '../../src/cards/index.ts'
import { referenceCards } from './references.ts'

// @NOTE The committed references were drawn by librsvg (the rasteriser before resvg), so these bounds are the
// distance between two good rasterisers, measured on all 45 cards: mean 0.11–0.40 levels a channel, 0.6–2.3%
// of pixels off by more than 8 levels (antialiased edges), none by more than 128. A moved Arabic dot, a lost
// emoji or a shifted line puts hundreds of pixels past 128 while barely moving the mean, hence three measures.

const BOUNDS = { meanLevels: 0.6, shareOver8: 0.03, pixelsOver128: 0 }

async function rgb(input: Uint8Array | string) {
  const { data, info } = await sharp(input).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

const cards = await referenceCards()

describe('every sample and language-fixture card matches its committed reference rendering', () => {
  it.each(cards.map((c) => [c.file, c] as const))('%s', async (_file, card) => {
    const drawn = await renderCard(card.quote, card.campaign, card.format)
    const [a, b] = await Promise.all([rgb(drawn.data), rgb(card.file)])
    expect({ width: a.width, height: a.height }).toEqual({ width: b.width, height: b.height })
    let sum = 0
    let over8 = 0
    let over128 = 0
    for (let i = 0; i < a.data.length; i += 3) {
      let worst = 0
      for (let c = 0; c < 3; c++) {
        const d = Math.abs((a.data[i + c] ?? 0) - (b.data[i + c] ?? 0))
        sum += d
        if (d > worst) worst = d
      }
      if (worst > 8) over8++
      if (worst > 128) over128++
    }
    expect(sum / a.data.length).toBeLessThanOrEqual(BOUNDS.meanLevels)
    expect(over8 / (a.width * a.height)).toBeLessThanOrEqual(BOUNDS.shareOver8)
    expect(over128).toBeLessThanOrEqual(BOUNDS.pixelsOver128)
  })
})
