import { cardFontFacts, fontAdvanceEm } from './font-facts.ts'
import { cardFonts, type FontRole } from './fonts.ts'

// @NOTE Text preparation and a metrics-only measure. Satori lays text out by itself; we predict its line breaks
// from the fonts' advance widths so the fit search needs one satori pass instead of six (see fit.ts).

export type Script = 'latin' | 'arabic' | 'myanmar'

const ARABIC = /\p{Script=Arabic}/gu
const MYANMAR = /\p{Script=Myanmar}/gu
const LETTER = /\p{L}/gu

/** The script that sets direction, font and line height for a piece of text: the one most of its letters use. */
export function scriptOf(text: string): Script {
  const letters = text.match(LETTER)?.length ?? 0
  const arabic = text.match(ARABIC)?.length ?? 0
  const myanmar = text.match(MYANMAR)?.length ?? 0
  if (arabic > 0 && arabic * 2 >= letters) return 'arabic'
  if (myanmar > 0 && myanmar * 2 >= letters) return 'myanmar'
  return 'latin'
}

export const ZWSP = '\u200b'
// Made on first use: setting up ICU's Burmese word breaking costs 10–20 ms, which `validate` (it imports
// this file for the footer's widths) never needs.
let burmeseWords: Intl.Segmenter | undefined

/** Burmese writes no spaces between words: mark each word boundary with a zero-width space so lines break there. */
export function breakBurmese(text: string): string {
  let out = ''
  let prevWord = false
  burmeseWords ??= new Intl.Segmenter('my', { granularity: 'word' })
  for (const { segment, isWordLike } of burmeseWords.segment(text)) {
    const word = isWordLike === true && !/\s/u.test(segment)
    if (word && prevWord) out += ZWSP
    out += segment
    prevWord = word
  }
  return out
}

const NBSP = '\u00a0'

/**
 * Keeps punctuation with its word: guillemets never end or start a line alone, and in French (which sets a space
 * before : ; ! ?) neither does that punctuation.
 */
function bindPunctuation(text: string, language = ''): string {
  let out = text.replace(/« /g, `«${NBSP}`).replace(/ »/g, `${NBSP}»`)
  if (/^fr\b/i.test(language)) out = out.replace(/ ([:;!?])(?=\s|$)/g, `${NBSP}$1`)
  return out
}

export function prepareText(text: string, language = ''): string {
  return scriptOf(text) === 'myanmar' ? breakBurmese(text) : bindPunctuation(text, language)
}

/** Advance widths in em for each code point, looked up in a role's stack the way satori falls back. */
const advanceCache = new Map<string, Map<number, number>>()

function advanceEm(cp: number, role: FontRole, weight: 400 | 700): number {
  const key = `${role}/${weight}`
  let cache = advanceCache.get(key)
  if (!cache) {
    cache = new Map()
    advanceCache.set(key, cache)
  }
  const hit = cache.get(cp)
  if (hit !== undefined) return hit
  let em = 0.6 // emoji and anything unmapped: Twemoji images are drawn about one em wide, so err wide
  if (cp === 0x200b || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) em = 0
  else {
    // The sans-serif widths (the footer's, all `validate` measures) are stored at build: no font file read.
    const drawn =
      role === 'sans'
        ? cardFontFacts().sansAdvanceEm(cp, weight)
        : fontAdvanceEm(cardFonts(), role, weight, cp)
    if (drawn !== undefined) em = drawn
    else if (cp > 0x2000) em = 1.2
  }
  cache.set(cp, em)
  return em
}

export interface MeasureFont {
  role: FontRole
  weight: 400 | 700
}

/** Width of `text` in em, from nominal advances (no kerning or shaping). */
export function widthEm(text: string, font: MeasureFont): number {
  let w = 0
  for (const ch of text) w += advanceEm(ch.codePointAt(0) ?? 0, font.role, font.weight)
  return w
}

/**
 * Lines the text takes in `maxWidth` px at `size` px, breaking greedily at spaces and zero-width spaces and
 * inside a word only when the word alone is wider than the line (CSS `word-break: break-word`).
 */
export function countLines(text: string, size: number, maxWidth: number, font: MeasureFont): number {
  const space = widthEm(' ', font) * size
  let lines = 0
  for (const paragraph of text.split('\n')) {
    lines++
    let x = 0
    for (const word of paragraph.split(/[ \u200b]+/u).filter(Boolean)) {
      let w = widthEm(word, font) * size
      const gap = x > 0 ? space : 0
      if (x + gap + w <= maxWidth) {
        x += gap + w
        continue
      }
      if (x > 0) lines++
      // A word wider than a line is cut at the line's end, as break-word does.
      while (w > maxWidth) {
        lines++
        w -= maxWidth
      }
      x = w
    }
  }
  return lines
}
