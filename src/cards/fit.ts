import type { Attribution } from './attribution.ts'
import { ATTR_LINE_HEIGHT, type Geometry, LINE_HEIGHT, textRoom } from './geometry.ts'
import { countLines, type MeasureFont, type Script } from './text.ts'

// @NOTE The fit search was the costliest step of a card (six satori passes, ~25 ms). Line breaks follow from the
// fonts' advance widths, so we predict the largest size that fits from metrics alone (microseconds), then the
// renderer verifies the one satori layout it needs anyway and steps down only if the prediction was short.

// Shaping, kerning and the line breaker can make satori's lines a little wider than nominal advances: keep
// this much of the line width in reserve when predicting.
const WIDTH_MARGIN: Record<Script, number> = { latin: 0.97, arabic: 0.93, myanmar: 0.92 }

function quoteFont(script: Script): MeasureFont {
  if (script === 'arabic') return { role: 'arabic', weight: 400 }
  if (script === 'myanmar') return { role: 'myanmar', weight: 400 }
  return { role: 'quote', weight: 400 }
}

function quoteFits(text: string, script: Script, size: number, g: Geometry): boolean {
  const room = textRoom(g, script, size)
  const lines = countLines(text, size, room.width * WIDTH_MARGIN[script], quoteFont(script))
  return lines * size * LINE_HEIGHT[script] <= room.height
}

/** The largest whole px size in [min, max] at which the quote is predicted to fit; undefined if none. */
export function predictQuoteSize(
  text: string,
  script: Script,
  g: Geometry,
  maxSize?: number,
): number | undefined {
  let lo = g.quoteSize.min
  let hi = Math.min(maxSize ?? g.quoteSize.max, g.quoteSize.max)
  if (hi < lo || !quoteFits(text, script, lo, g)) return undefined
  // Fewer lines only ever need less height, so "fits" is monotone in the size: bisect.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (quoteFits(text, script, mid, g)) lo = mid
    else hi = mid - 1
  }
  return lo
}

const ATTR_SCALES = [1, 0.92, 0.85, 0.78, 0.72, 0.66, 0.6]

/** Attribution scale (1 = full size) at which speaker and role lines fit their box; the smallest as a last resort. */
export function predictAttributionScale(a: Attribution, g: Geometry, below = 2): number {
  const width = g.width - 2 * g.padX
  for (const s of ATTR_SCALES) {
    if (s >= below) continue
    const p = g.attrSize.primary * s
    const q = g.attrSize.secondary * s
    const h =
      countLines(a.primary, p, width * 0.97, { role: 'sans', weight: 700 }) * p * ATTR_LINE_HEIGHT +
      (a.secondary
        ? countLines(a.secondary, q, width * 0.97, { role: 'sans', weight: 400 }) * q * ATTR_LINE_HEIGHT
        : 0)
    if (h <= g.attributionHeight) return s
  }
  return ATTR_SCALES[ATTR_SCALES.length - 1] ?? 0.6
}
