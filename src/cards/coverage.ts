import { emojiFile, isEmoji } from './emoji.ts'
import { cardFonts } from './fonts.ts'

// @NOTE A character no card font draws would come out as an empty box; `validate` reports it instead.
// The answer comes from the cmap tables of the very WOFF files the card renders with, plus Twemoji's files.

// Characters that draw nothing by design: white space, joiners, variation selectors, bidi marks, the ZWSP we
// insert for Burmese line breaks. They need no glyph.
const INVISIBLE = /[\s\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufe00-\ufe0f\u{e0100}-\u{e01ef}]/u

let covered: Set<number> | undefined

function coveredCodePoints(): Set<number> {
  if (covered) return covered
  const all = new Set<number>()
  for (const f of cardFonts()) for (const cp of f.metrics.glyphs.keys()) all.add(cp)
  covered = all
  return all
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' })

/** Characters of `text` that no card font (nor Twemoji) covers, each once, in order of first appearance. */
export function uncoveredCharacters(text: string): string[] {
  const fonts = coveredCodePoints()
  const missing = new Set<string>()
  for (const { segment } of graphemes.segment(text)) {
    if (isEmoji(segment) && emojiFile(segment)) continue
    for (const ch of segment) {
      if (INVISIBLE.test(ch)) continue
      const cp = ch.codePointAt(0)
      if (cp !== undefined && !fonts.has(cp)) missing.add(ch)
    }
  }
  return [...missing]
}
