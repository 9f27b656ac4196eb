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
