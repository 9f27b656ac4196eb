import type { Campaign } from '../campaign/schema.ts'
import { MAX_ALT_CHARS } from '../quotes/limits.ts'
import { carriesOwnMarks } from '../quotes/marks.ts'
import type { Quote } from '../quotes/schema.ts'
import { attribution, cardText, join } from './attribution.ts'
import { wordingOf } from './wording.ts'

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' })
const length = (s: string) => [...graphemes.segment(s)].length
/** Whether `s` has at most `max` graphemes; segmenting (most of cardAlt's time) only when its UTF-16 length is over. */
const within = (s: string, max: number) => s.length <= max || length(s) <= max
/** The mark of words left out, as excerpts write it. */
const LEFT_OUT = ' […]'

/** One line per paragraph: a screen reader pauses at a line end, and a folded line break inside a sentence is noise. */
function oneLinePerParagraph(text: string): string {
  return text
    .trim()
    .split(/\s*\n\s*/u)
    .filter(Boolean)
    .map((p) => p.replace(/\s+/gu, ' '))
    .join('\n')
}

/** A word cut, the last resort for a single sentence longer than the room. */
function cutTo(text: string, max: number): string {
  if (within(text, max)) return text
  const parts = [...graphemes.segment(text)].map((g) => g.segment)
  let cut = parts.slice(0, Math.max(0, max - 1)).join('')
  // End on a word boundary when one is near, so the quote does not stop mid-word.
  const space = cut.lastIndexOf(' ')
  if (space > cut.length * 0.8) cut = cut.slice(0, space)
  return `${cut.trimEnd()}…`
}

/** The text's first whole sentences that fit in `max` graphemes, marked […] when some are left out. */
function wholeSentences(text: string, max: number, locale = 'und'): string {
  if (within(text, max)) return text
  const sentences = [...new Intl.Segmenter(locale, { granularity: 'sentence' }).segment(text)].map(
    (s) => s.segment,
  )
  let kept = ''
  for (const s of sentences) {
    const next = kept + s
    if (!within(next.trimEnd(), max - length(LEFT_OUT))) break
    kept = next
  }
  if (kept.trim() === '') return cutTo(text, max)
  return `${kept.trimEnd()}${LEFT_OUT}`
}

export function cardAlt(quote: Quote, campaign: Campaign): string {
  if (quote.alt_text)
    return wholeSentences(oneLinePerParagraph(quote.alt_text), MAX_ALT_CHARS, quote.language)
  const w = wordingOf(quote)
  const a = attribution(quote, w.comma)
  const who = a.secondary ? join(a.primary, a.secondary, w.comma) : a.primary
  const about = quote.situation ? ` ${w.situation}${w.colon} ${quote.situation}.` : ''
  const shown = oneLinePerParagraph(cardText(quote))
  const own = carriesOwnMarks(shown)
  const head = `${w.quoteCard}${w.colon} ${own ? '' : w.open}`
  const tail = `${own ? '' : w.close} — ${who}.${about} ${campaign.hashtags.join(' ')}`
  const room = MAX_ALT_CHARS - length(head) - length(tail)
  return `${head}${wholeSentences(shown, Math.max(room, 20), quote.language)}${tail}`
}
