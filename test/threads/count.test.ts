import fc from 'fast-check'
import twitterText from 'twitter-text'
import { describe, expect, it } from 'vitest'
import type { Platform } from '../../src/quotes/schema.ts'
import { countPost, graphemes } from '../../src/threads/count.ts'

// Bluesky's 300 is in graphemes. countPost takes a shortcut for text where each UTF-16 unit is a grapheme; it must
// give the Intl.Segmenter count for any text, shortcut or not.

const pieces = [
  'a',
  'Z',
  ' ',
  '\n',
  '\r\n',
  'é',
  'œ',
  '«\u202f',
  '“',
  '”',
  '’',
  '—',
  '…',
  '\u00a0',
  'ʼ',
  'e\u0301', // e + combining acute: one grapheme, two units
  '👩🏽‍⚖️',
  '🇳🇱',
  '☮️',
  'في',
  'မြန်မာ',
  '正义',
  '\u200d',
]

/** countPost on `platform` gives what `reference` gives, for 3,000 texts made of `from`. */
function agreesOnMixesOf(from: string[], platform: Platform, reference: (text: string) => number): void {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...from), { maxLength: 80 }), (parts) => {
      const text = parts.join('')
      expect(countPost(platform, text)).toBe(reference(text))
    }),
    { numRuns: 3000 },
  )
}

describe('countPost on Bluesky', () => {
  it('equals the grapheme count for any mix of Latin, punctuation, combining marks, emoji and other scripts', () => {
    agreesOnMixesOf(pieces, 'bluesky', (text) => graphemes(text).length)
  })

  it('counts a CRLF as one and a decomposed é as one', () => {
    expect(countPost('bluesky', 'a\r\nb')).toBe(3)
    expect(countPost('bluesky', 'e\u0301')).toBe(1)
    expect(countPost('bluesky', '« Justice »')).toBe(11)
  })
})

// X's weighted length: countPost weighs text that can hold no URL or emoji itself; it must always give what
// twitter-text's parseTweet gives.
const xPieces = [
  ...pieces,
  '.',
  '. ',
  'e.g.',
  'icc-cpi.int',
  'https://www.icc-cpi.int/asp',
  'example.com/a',
  't.co',
  '‼',
  '⁉',
  '©',
  '®',
  '™',
  '•',
  '‰',
  '′',
  '\u2028',
  '#NGOVoices',
  '@ngo',
  'Ω',
  'ﬁ',
]

describe('countPost on X', () => {
  it("equals twitter-text's weighted length for any mix of text, dots, URLs, emoji and other scripts", () => {
    agreesOnMixesOf(xPieces, 'x', (text) => twitterText.parseTweet(text).weightedLength)
  })

  it('weighs every character of the range it weighs itself as twitter-text does', () => {
    for (let c = 0x20; c <= 0x2fff; c++) {
      const text = `a${String.fromCharCode(c)}b`
      expect([c, countPost('x', text)]).toEqual([c, twitterText.parseTweet(text).weightedLength])
    }
  })
})
