import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Platform } from '../../src/quotes/schema.ts'
import { countPost, graphemes, POST_LIMITS } from '../../src/threads/count.ts'
import { splitText } from '../../src/threads/split.ts'
import { quoteText } from './arbitraries.ts'

/** Why this split is wrong, or undefined: within the limit, nothing lost or reordered, no word cut that fits whole. */
export function splitProblem(
  text: string,
  parts: string[],
  platform: Platform,
  reserve = '',
): string | undefined {
  const fits = (s: string) => countPost(platform, s + reserve) <= POST_LIMITS[platform]
  for (const [i, p] of parts.entries()) {
    if (p.trim() === '') return `part ${i + 1} is empty`
    if (!fits(p)) return `part ${i + 1} is over the limit (${countPost(platform, p + reserve)})`
    if (p !== p.trim()) return `part ${i + 1} has spaces at an end`
  }
  const words = text.split(/\s+/u).filter(Boolean)
  // Each part's words, marked with whether they end a part.
  const tokens = parts.flatMap((p) => {
    const ws = p.split(/\s+/u)
    return ws.map((w, j) => ({ w, first: j === 0, last: j === ws.length - 1 }))
  })
  let t = 0
  for (const word of words) {
    const first = tokens[t]
    if (!first) return `"${word}" is missing`
    if (first.w === word) {
      t++
      continue
    }
    // A word split across parts: allowed only when it cannot fit a post on its own, and never inside a grapheme.
    if (fits(word)) return `"${word}" fits a post but was cut into "${first.w}"…`
    let acc = ''
    const pieces: string[] = []
    while (acc.length < word.length) {
      const tok = tokens[t]
      if (!tok) return `"${word}" is missing its end`
      if (pieces.length > 0 && !tok.first) return `"${word}" is cut other than at a part boundary`
      if (acc.length + tok.w.length < word.length && !tok.last) return `"${word}" is cut mid-part`
      acc += tok.w
      pieces.push(tok.w)
      t++
    }
    if (acc !== word) return `"${word}" came back as "${acc}"`
    const joined = pieces.flatMap((p) => graphemes(p))
    if (joined.join('\u0000') !== graphemes(word).join('\u0000')) return `"${word}" is cut inside a grapheme`
  }
  if (t !== tokens.length) return `extra words at the end: ${tokens.slice(t).map((x) => x.w)}`
  return undefined
}

describe('splitText', () => {
  for (const platform of ['x', 'bluesky'] as const) {
    it(`keeps every ${platform} part within ${POST_LIMITS[platform]}, every word in order, none cut that fits`, () => {
      fc.assert(
        fc.property(quoteText, fc.constantFrom('', '\n9/9', '\n99/99'), (text, reserve) => {
          const fits = (s: string) => countPost(platform, s + reserve) <= POST_LIMITS[platform]
          const parts = splitText(text, fits, 'und')
          const problem = splitProblem(text, parts, platform, reserve)
          if (problem) throw new Error(`${problem}\nparts: ${JSON.stringify(parts)}`)
        }),
        { numRuns: 1500 },
      )
    })
  }

  it('breaks after a sentence before a clause, and a clause before a bare word', () => {
    const s = 'word '.repeat(30)
    const text = `${s}first sentence ends here. ${s}a clause, ${s}`.trim()
    const parts = splitText(text, (t) => t.length <= 280)
    expect(parts[0]?.endsWith('here.')).toBe(true)
    const clause = splitText(`${s}${s.slice(0, 50)}a clause, ${s}${s}`.trim(), (t) => t.length <= 280)
    expect(clause[0]?.endsWith('clause,')).toBe(true)
  })

  it('splits a spaceless Burmese run at word boundaries, not mid-syllable', () => {
    const run = 'ရိုဟင်ဂျာတရားမျှတမှုကို'.repeat(20)
    const parts = splitText(run, (t) => countPost('bluesky', t) <= 50, 'my')
    expect(parts.length).toBeGreaterThan(1)
    expect(parts.join('')).toBe(run)
    for (const p of parts) expect(countPost('bluesky', p)).toBeLessThanOrEqual(50)
    // Each part ends where Intl.Segmenter sees a word end.
    const seg = new Intl.Segmenter('my', { granularity: 'word' })
    const ends = new Set<number>()
    for (const s of seg.segment(run)) ends.add(s.index + s.segment.length)
    let at = 0
    for (const p of parts) {
      at += p.length
      expect(ends.has(at)).toBe(true)
    }
  })
})
