import { describe, expect, it } from 'vitest'
import { uncoveredCharacters } from '../../src/cards/coverage.ts'
import { isEmoji } from '../../src/cards/emoji.ts'
import { cardFonts } from '../../src/cards/fonts.ts'

// `validate` finds the characters no card font draws with one pattern over each text; each character must come
// out as a look-up of that one character in the fonts' cmaps would have it, and in order of first appearance.

const fonts = cardFonts()
const INVISIBLE = [
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x2064],
  [0xfe00, 0xfe0f],
  [0xe0100, 0xe01ef],
]
const needsNoGlyph = (ch: string, cp: number) =>
  /\s/u.test(ch) || INVISIBLE.some(([a, b]) => cp >= (a ?? 0) && cp <= (b ?? 0))

describe('uncovered characters', () => {
  it('are those no font draws and that are not invisible by design, for every code point', () => {
    const text: string[] = []
    const expected: string[] = []
    for (let cp = 0; cp <= 0x1ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue
      const ch = String.fromCodePoint(cp)
      if (isEmoji(ch)) continue
      text.push(ch)
      if (!needsNoGlyph(ch, cp) && !fonts.some((f) => f.metrics.glyphs.has(cp))) expected.push(ch)
    }
    expect(uncoveredCharacters(text.join(''))).toEqual(expected)
  })

  it('lists each once, in order of first appearance, a lone surrogate too', () => {
    expect(uncoveredCharacters('a\u{10000}b\ud800\u{10000}c\u3042')).toEqual([
      '\u{10000}',
      '\ud800',
      '\u3042',
    ])
  })
})
