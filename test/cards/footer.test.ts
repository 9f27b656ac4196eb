import { describe, expect, it } from 'vitest'
import { campaignFindings } from '../../src/campaign/check.ts'
import type { Campaign } from '../../src/campaign/schema.ts'
import { footerOverflow } from '../../src/cards/footer.ts'
import { GEOMETRY } from '../../src/cards/geometry.ts'
import { CARD_FORMATS, type CardFormat, renderCard } from '../../src/cards/index.ts'
import { CardFitError } from '../../src/cards/svg.ts'
import { campaign, makeQuote, pixels } from './helpers.ts'

// The footer carries every hashtag and the statement's site on one line. The widest hashtags validate accepts
// are found by growing one until footerOverflow refuses it; drawn, they must stay in the margins, apart from
// the site name, on one line.

const withTag = (tag: string): Campaign => ({ ...campaign, hashtags: ['#NGOVoices', '#ASP21', tag] })
let tag = '#W'
while (!footerOverflow(withTag(`${tag}W`))) tag += 'W'
const widest = withTag(tag)
const over = withTag(`${tag}W`)

describe('card footer', () => {
  it('one letter more than fits is refused by validate and by the renderer, with the numbers', async () => {
    expect(tag.length).toBeGreaterThan(10)
    expect(footerOverflow(widest)).toBeUndefined()
    expect(footerOverflow(over)).toMatch(/need \d+ px on one line of the \w+ card's footer, which has \d+ px/)
    expect(campaignFindings(over, footerOverflow)).toContainEqual(
      expect.objectContaining({ path: ['hashtags'], severity: 'error' }),
    )
    await expect(renderCard(makeQuote(), over, 'square')).rejects.toThrow(CardFitError)
  })

  for (const format of Object.keys(CARD_FORMATS) as CardFormat[]) {
    it(`${format}: the widest accepted hashtags stay inside the margins, on one line, apart from the site`, async () => {
      const g = GEOMETRY[format]
      const img = await pixels((await renderCard(makeQuote(), widest, format)).data)
      const at = (x: number, y: number) => (y * img.width + x) * img.channels
      const bg = [0, 1, 2].map((c) => img.data[at(2, 2) + c] ?? 0)
      const top = g.height - g.padY - g.footer - g.gaps[2] / 2
      const ink: { x: number; y: number }[] = []
      for (let y = top; y < g.height; y++) {
        for (let x = 0; x < g.width; x++) {
          const d = [0, 1, 2].reduce((s, c) => s + Math.abs((img.data[at(x, y) + c] ?? 0) - (bg[c] ?? 0)), 0)
          if (d > 60) ink.push({ x, y })
        }
      }
      expect(ink.length).toBeGreaterThan(500)
      const xs = ink.map((p) => p.x)
      const ys = ink.map((p) => p.y)
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(g.padX - 2)
      expect(Math.max(...xs)).toBeLessThanOrEqual(g.width - g.padX + 2)
      // One line: the ink is no taller than a line of the hashtags' size, and ends above the bottom margin.
      expect(Math.max(...ys) - Math.min(...ys)).toBeLessThan((g.small + 2) * 1.4)
      expect(Math.max(...ys)).toBeLessThanOrEqual(g.height - g.padY + 4)
      // Hashtags and site do not touch: somewhere between them is a run of empty columns.
      const used = new Set(xs)
      let run = 0
      let widestGap = 0
      for (let x = Math.min(...xs); x <= Math.max(...xs); x++) {
        run = used.has(x) ? 0 : run + 1
        widestGap = Math.max(widestGap, run)
      }
      expect(widestGap).toBeGreaterThanOrEqual(20)
    })
  }
})
