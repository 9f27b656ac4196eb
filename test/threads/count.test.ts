import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
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

describe('countPost on Bluesky', () => {
  it('equals the grapheme count for any mix of Latin, punctuation, combining marks, emoji and other scripts', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 80 }), (parts) => {
        const text = parts.join('')
        expect(countPost('bluesky', text)).toBe(graphemes(text).length)
      }),
      { numRuns: 3000 },
    )
  })

  it('counts a CRLF as one and a decomposed é as one', () => {
    expect(countPost('bluesky', 'a\r\nb')).toBe(3)
    expect(countPost('bluesky', 'e\u0301')).toBe(1)
    expect(countPost('bluesky', '« Justice »')).toBe(11)
  })
})
