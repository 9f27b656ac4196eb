import { emojiFile, isEmoji } from './emoji.ts'
import { cardFontFacts } from './font-facts.ts'

// @NOTE A character no card font draws would come out as an empty box; `validate` reports it instead.
// The answer comes from the cmap tables of the very WOFF files the card renders with (stored at build time,
// font-facts.ts), plus Twemoji's files.

// Characters that draw nothing by design: white space, joiners, variation selectors, bidi marks, the ZWSP we
// insert for Burmese line breaks. They need no glyph.
const INVISIBLE: [number, number][] = [
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x2064],
  [0xfe00, 0xfe0f],
  [0xe0100, 0xe01ef],
]
const classRange = (a: number, b: number) => `\\u{${a.toString(16)}}-\\u{${b.toString(16)}}`

let notDrawn: RegExp | undefined

/**
 * A character neither invisible by design nor drawn by any card font. One regular expression over the whole
 * text, rather than a look-up per character: `validate` checks every text of the bank this way, at start,
 * before any of its code is compiled for speed.
 */
function notDrawnPattern(): RegExp {
  notDrawn ??= new RegExp(
    `[^\\s${[...INVISIBLE, ...cardFontFacts().ranges()].map(([a, b]) => classRange(a, b)).join('')}]`,
    'gu',
  )
  return notDrawn
}

let graphemes: Intl.Segmenter | undefined

/**
 * The pieces to check: graphemes only matter to pass over whole emoji sequences (a skin tone, a ZWJ sequence),
 * so text with no emoji is one piece, sparing the segmenter's set-up (ICU break data, about 10 ms) at start.
 */
function pieces(text: string): Iterable<string> {
  if (!isEmoji(text)) return [text]
  graphemes ??= new Intl.Segmenter('und', { granularity: 'grapheme' })
  return Array.from(graphemes.segment(text), (s) => s.segment)
}

/** Characters of `text` that no card font (nor Twemoji) covers, each once, in order of first appearance. */
export function uncoveredCharacters(text: string): string[] {
  const missing = new Set<string>()
  for (const segment of pieces(text)) {
    if (isEmoji(segment) && emojiFile(segment)) continue
    for (const [ch] of segment.matchAll(notDrawnPattern())) missing.add(ch)
  }
  return [...missing]
}
