import type { Campaign } from '../campaign/schema.ts'
import { carriesOwnMarks } from '../quotes/marks.ts'
import type { Quote } from '../quotes/schema.ts'
import { attribution, join } from './attribution.ts'

// @NOTE X allows 1,000 characters of alt text and Bluesky far more; we keep to 1,000 so one text serves both.
// When it is too long only the quote is shortened (with an ellipsis): who said it is never cut.

export const MAX_ALT_CHARS = 1000

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' })
const length = (s: string) => [...graphemes.segment(s)].length

function cutTo(text: string, max: number): string {
  if (length(text) <= max) return text
  const parts = [...graphemes.segment(text)].map((g) => g.segment)
  let cut = parts.slice(0, Math.max(0, max - 1)).join('')
  // End on a word boundary when one is near, so the quote does not stop mid-word.
  const space = cut.lastIndexOf(' ')
  if (space > cut.length * 0.8) cut = cut.slice(0, space)
  return `${cut.trimEnd()}…`
}

export function cardAlt(quote: Quote, campaign: Campaign): string {
  if (quote.alt_text) return cutTo(quote.alt_text, MAX_ALT_CHARS)
  const a = attribution(quote)
  const who = a.secondary ? join(a.primary, a.secondary) : a.primary
  const about = quote.situation ? ` Situation: ${quote.situation}.` : ''
  const own = carriesOwnMarks(quote.text)
  const tail = `${own ? '' : '”'} — ${who}.${about} ${campaign.hashtags.join(' ')}`
  const head = own ? 'Quote card: ' : 'Quote card: “'
  const room = MAX_ALT_CHARS - length(head) - length(tail)
  // The alt text carries the full quote (the card may show an excerpt): a screen reader user gets all of it.
  return `${head}${cutTo(quote.text, Math.max(room, 20))}${tail}`
}
