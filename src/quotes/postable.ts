import { embargoInstant, localClock, localDay } from '../core/time.ts'
import type { Quote } from './schema.ts'

// @NOTE The one rule of who may be posted when, asked by the planner, the sync, the worker at the last moment,
// `render` and `post`. Only quotes with consent granted and nothing left to finish ever go out (victims' words
// included), and never before their embargo; the reason is what staff read beside the quote.

/**
 * Why a quote may not be posted at all, or undefined when it may. `explain` adds what to do about it, for the
 * planner's list of quotes left out.
 */
export function whyNotPostable(quote: Quote | undefined, explain = false): string | undefined {
  if (!quote) return 'the quote is no longer in the bank (removed, or now invalid)'
  if (quote.consent.status === 'pending')
    return explain
      ? 'consent is pending: only quotes with consent granted are scheduled (set consent.status: granted once given)'
      : 'consent is pending'
  if (quote.consent.status === 'withdrawn')
    return explain ? 'consent is withdrawn: this quote is never scheduled' : 'consent is withdrawn'
  if (quote.incomplete) return `marked incomplete: ${quote.incomplete}`
  return undefined
}

/**
 * Why a quote may not go out at `at` (ms) because of its embargo, read in the campaign's zone, or undefined.
 * @NOTE The planner never places a quote before its embargo, but staff may lock a slot or set an embargo after
 * the jobs were queued: the queue and `post` ask again at the last moment, so an embargo set late still holds.
 */
export function embargoedAt(quote: Quote, at: number, zone: string): string | undefined {
  if (quote.embargo_until === undefined) return undefined
  const until = embargoInstant(quote.embargo_until, zone)
  if (until === undefined) return `embargo_until "${quote.embargo_until}" is not a date`
  if (at >= Date.parse(until)) return undefined
  return `embargoed until ${localDay(until, zone)} ${localClock(until, zone)} (${zone})`
}

/** Why a quote may not be posted at `at` (ms), or undefined when it may. */
export function whyNotPostableAt(quote: Quote | undefined, at: number, zone: string): string | undefined {
  return whyNotPostable(quote) ?? (quote ? embargoedAt(quote, at, zone) : undefined)
}
