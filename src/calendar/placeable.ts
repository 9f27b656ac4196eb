import type { Campaign } from '../campaign/schema.ts'
import { embargoInstant } from '../core/time.ts'
import { whyNotPostable } from '../quotes/postable.ts'
import type { Quote } from '../quotes/schema.ts'
import type { Unplaced } from './types.ts'

/** A quote the planner may place, with what it needs to know of it. */
export interface Entry {
  quote: Quote
  order: number
  embargo?: string
  /** The session days whose themes the quote shares. */
  themed: Set<string>
}

/** Unplaced, with the quote's place in the bank so the list can be shown in bank order. */
export type Refused = Unplaced & { order: number }

/**
 * The quotes not yet settled that may be placed at all, highest priority first (bank order breaks ties), and
 * those that may not, each with its reason.
 */
export function placeableEntries(
  campaign: Campaign,
  quotes: Quote[],
  settled: Set<string>,
): { entries: Entry[]; refused: Refused[] } {
  const zone = campaign.timezone
  const entries: Entry[] = []
  const refused: Refused[] = []
  for (const [order, quote] of quotes.entries()) {
    if (settled.has(quote.id)) continue
    const why = whyNotPostable(quote, true)
    if (why) {
      refused.push({ quoteId: quote.id, reason: why, order })
      continue
    }
    const embargo = quote.embargo_until === undefined ? undefined : embargoInstant(quote.embargo_until, zone)
    if (quote.embargo_until !== undefined && embargo === undefined) {
      refused.push({
        quoteId: quote.id,
        reason: `embargo_until "${quote.embargo_until}" is not a date: write YYYY-MM-DD or YYYY-MM-DDTHH:mm (${zone})`,
        order,
      })
      continue
    }
    const themed = new Set(
      campaign.days.filter((d) => d.themes.some((t) => quote.themes.includes(t))).map((d) => d.date),
    )
    entries.push(embargo === undefined ? { quote, order, themed } : { quote, order, embargo, themed })
  }
  entries.sort((a, b) => b.quote.priority - a.quote.priority || a.order - b.order)
  return { entries, refused }
}
