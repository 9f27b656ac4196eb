import type { Platform } from '../../src/quotes/schema.ts'
import { countPost, graphemes, POST_LIMITS } from '../../src/threads/count.ts'
import { BREAKING_SPACE } from '../../src/threads/split.ts'

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
  const words = text.split(BREAKING_SPACE).filter(Boolean)
  // Each part's words, marked with whether they end a part.
  const tokens = parts.flatMap((p) => {
    const ws = p.split(BREAKING_SPACE)
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
