import type { Campaign } from '../campaign/schema.ts'
import type { Quote } from '../quotes/schema.ts'
import type { CardImage } from '../threads/types.ts'

// @TODO (cards issue) implement; keep these signatures, other modules import them.
export const CARD_FORMATS = {
  landscape: { width: 1600, height: 900 },
  square: { width: 1080, height: 1080 },
  portrait: { width: 1080, height: 1350 },
} as const
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

/** Alt text for a quote's card: the quote's `alt_text` if set, else generated; ≤ 1000 characters. */
export function cardAlt(_quote: Quote, _campaign: Campaign): string {
  throw new Error('cardAlt: not implemented yet')
}

export async function renderCard(
  _quote: Quote,
  _campaign: Campaign,
  _format: CardFormat,
  _opts: RenderOptions = {},
): Promise<RenderedCard> {
  throw new Error('renderCard: not implemented yet')
}
