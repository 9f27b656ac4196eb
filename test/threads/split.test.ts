import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { countPost, POST_LIMITS } from '../../src/threads/count.ts'
import { splitText } from '../../src/threads/split.ts'
import { quoteText } from './arbitraries.ts'
import { splitProblem } from './split-check.ts'

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
