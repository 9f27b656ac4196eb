import type { Campaign } from '../campaign/schema.ts'
import type { Quote } from '../quotes/schema.ts'
import type { CardImage } from '../threads/types.ts'
import { cardAlt } from './alt.ts'
import { cardKey, readCached, writeCached } from './cache.ts'
import { encodeCard } from './encode.ts'
import type { GEOMETRY } from './geometry.ts'
import { cardContent, cardSvg } from './svg.ts'

// @NOTE The card module's public face: renderCard (cached by a hash of everything that changes the pixels) and
// cardAlt. The stages live in their own files: fonts → text/fit → layout →
// svg (satori) → rasterise (resvg) → encode (sharp) → cache; render-pool runs them off the main thread.

export const CARD_FORMATS = {
  landscape: { width: 1600, height: 900 },
  square: { width: 1080, height: 1080 },
  portrait: { width: 1080, height: 1350 },
} as const satisfies Record<keyof typeof GEOMETRY, { width: number; height: number }>
export type CardFormat = keyof typeof CARD_FORMATS

export interface RenderOptions {
  /** Cache folder; when given, an unchanged card is read back instead of rendered. */
  cacheDir?: string
}

export interface RenderedCard extends CardImage {
  format: CardFormat
  /** Hash of everything that changes the pixels. */
  key: string
  cached: boolean
}

export { MAX_ALT_CHARS } from '../quotes/limits.ts'
export { cardAlt } from './alt.ts'
export { uncoveredCharacters } from './coverage.ts'
export { MAX_CARD_BYTES } from './encode.ts'
export { CardFitError } from './svg.ts'
export { contrastRatio, themePairs } from './theme.ts'

export function isCardFormat(s: string): s is CardFormat {
  return Object.hasOwn(CARD_FORMATS, s)
}

/** The cache key a card would have: cheap (no drawing), for callers that only need to know if it changed. */
export function cardCacheKey(quote: Quote, campaign: Campaign, format: CardFormat): string {
  return cardKey(cardContent(quote, campaign), format)
}

/**
 * Renders one quote's card. Throws CardFitError when the quote cannot be drawn without clipping or empty glyph
 * boxes (the reason is cardProblem's, in svg.ts).
 */
export async function renderCard(
  quote: Quote,
  campaign: Campaign,
  format: CardFormat,
  opts: RenderOptions = {},
): Promise<RenderedCard> {
  const { width, height } = CARD_FORMATS[format]
  const content = cardContent(quote, campaign)
  const key = cardKey(content, format)
  const alt = cardAlt(quote, campaign)
  const base = { format, key, width, height, alt }
  if (opts.cacheDir) {
    const hit = await readCached(opts.cacheDir, key)
    if (hit) return { ...base, data: hit.data, mime: hit.mime, path: hit.path, cached: true }
  }
  const { svg } = await cardSvg(quote, campaign, format, { content })
  const img = await encodeCard(svg)
  const path = opts.cacheDir ? await writeCached(opts.cacheDir, key, img) : undefined
  return { ...base, data: img.data, mime: img.mime, ...(path ? { path } : {}), cached: false }
}
