import { embargoInstant, localClock, localDay } from '../core/time.ts'
import type { Quote } from '../quotes/schema.ts'

// @NOTE Only quotes with consent granted and nothing left to finish are ever scheduled (victims' words
// included): the reason is what staff read next to the quote in the unplaced list.

/** Why a quote may never be placed as it stands, or undefined when it may. */
export function notEligible(quote: Quote): string | undefined {
  if (quote.consent.status === 'pending') {
    return 'consent is pending: only quotes with consent granted are scheduled (set consent.status: granted once given)'
  }
  if (quote.consent.status === 'withdrawn') return 'consent is withdrawn: this quote is never scheduled'
  if (quote.incomplete) return `marked incomplete: ${quote.incomplete}`
  return undefined
}

/** How an organisation is named in the table and the one-a-day rule. */
export function orgKey(quote: Quote): string {
  return quote.organisation.short ?? quote.organisation.name
}

/**
 * Why a quote may not go out at `at` (ms) because of its embargo, or undefined. @NOTE The planner never places a
 * quote before its embargo, but staff may lock a slot or set an embargo after the jobs were queued: the queue and
 * `post` ask again at the last moment, so an embargo set late still holds.
 */
export function embargoedAt(quote: Quote, at: number, zone: string): string | undefined {
  if (quote.embargo_until === undefined) return undefined
  const until = embargoInstant(quote.embargo_until, zone)
  if (until === undefined) return `embargo_until "${quote.embargo_until}" is not a date`
  if (at >= Date.parse(until)) return undefined
  return `embargoed until ${localDay(until, zone)} ${localClock(until, zone)} (${zone})`
}
