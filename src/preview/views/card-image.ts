import type { Campaign } from '../../campaign/schema.ts'
import { type CardFormat, cardAlt, cardCacheKey } from '../../cards/index.ts'
import type { Quote } from '../../quotes/schema.ts'
import { html, type SafeHtml } from '../html.ts'
import { type Available, attempt } from '../model.ts'

// @NOTE The URL carries the card's cache key (a hash of everything that changes its pixels), so an edited
// quote gets a new URL (the browser fetches the new card) while an unchanged one stays in the browser's cache.
function cardUrl(quote: Quote, campaign: Campaign, format: CardFormat): string {
  const v = cardCacheKey(quote, campaign, format).slice(0, 16)
  return `/cards/${encodeURIComponent(quote.id)}/${format}.png?v=${v}`
}

export function altFor(quote: Quote, campaign: Campaign): Available<string> {
  return attempt(() => cardAlt(quote, campaign))
}

/** The card as an <img> with its alt text, or a labelled placeholder when cards cannot be rendered. */
export function cardImage(
  quote: Quote,
  campaign: Campaign,
  format: CardFormat,
  size: { width: number; height: number },
  cls: string,
): SafeHtml {
  const alt = altFor(quote, campaign)
  const src = attempt(() => cardUrl(quote, campaign, format))
  if (!alt.ok || !src.ok) {
    return html`<div class="${cls} card-missing" role="img" aria-label="Card not available">Card not available</div>`
  }
  // The alt text is in the quote's language: a screen reader picks its voice from lang.
  return html`<img class="${cls}" src="${src.value}" alt="${alt.value}" lang="${quote.language}" dir="auto"
    width="${size.width}" height="${size.height}" loading="lazy" decoding="async">`
}
