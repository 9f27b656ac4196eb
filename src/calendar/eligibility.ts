import type { Quote } from '../quotes/schema.ts'

/** How an organisation is named in the table and the one-a-day rule. */
export function orgKey(quote: Quote): string {
  return quote.organisation.short ?? quote.organisation.name
}
