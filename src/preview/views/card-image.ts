import { createHash } from 'node:crypto'
import type { Campaign } from '../../campaign/schema.ts'
import { type CardFormat, cardAlt } from '../../cards/index.ts'
import type { Quote } from '../../quotes/schema.ts'
import { html, type SafeHtml } from '../html.ts'
import { type Available, attempt } from '../model.ts'

// @NOTE The URL carries a hash of the quote and campaign, so an edited quote gets a new URL (the browser
// fetches the new card) while an unchanged one stays in the browser's cache across live updates.
export function cardUrl(quote: Quote, campaign: Campaign, format: CardFormat): string {
  const v = createHash('sha256')
    .update(JSON.stringify([quote, campaign]))
    .digest('hex')
    .slice(0, 12)
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
  if (!alt.ok) {
    return html`<div class="${cls} card-missing" role="img" aria-label="Card not available">Card not available</div>`
  }
  return html`<img class="${cls}" src="${cardUrl(quote, campaign, format)}" alt="${alt.value}"
    width="${size.width}" height="${size.height}" loading="lazy" decoding="async">`
}
