import type { Platform } from '../../src/quotes/schema.ts'
import { countPost, graphemes, POST_LIMITS } from '../../src/threads/count.ts'
import { BREAKING_SPACE } from '../../src/threads/split.ts'

/** A part's words, each marked with whether it starts or ends its part. */
interface Token {
  w: string
  first: boolean
  last: boolean
}

/** Why this split is wrong, or undefined: within the limit, nothing lost or reordered, no word cut that fits whole. */
export function splitProblem(
  text: string,
  parts: string[],
  platform: Platform,
  reserve = '',
): string | undefined {
  const count = (s: string) => countPost(platform, s + reserve)
  const fits = (s: string) => count(s) <= POST_LIMITS[platform]
  return partsProblem(parts, fits, count) ?? wordsProblem(text, parts, fits)
}

/** Each part on its own: not empty, within the limit, no spaces at its ends. */
function partsProblem(
  parts: string[],
  fits: (s: string) => boolean,
  count: (s: string) => number,
): string | undefined {
  for (const [i, p] of parts.entries()) {
    if (p.trim() === '') return `part ${i + 1} is empty`
    if (!fits(p)) return `part ${i + 1} is over the limit (${count(p)})`
    if (p !== p.trim()) return `part ${i + 1} has spaces at an end`
  }
  return undefined
}

/** Every word of the text in the parts, in order, and whole unless it cannot fit a post on its own. */
function wordsProblem(text: string, parts: string[], fits: (s: string) => boolean): string | undefined {
  const words = text.split(BREAKING_SPACE).filter(Boolean)
  const tokens: Token[] = parts.flatMap((p) => {
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
    const cut = cutWord(word, tokens, t)
    if ('problem' in cut) return cut.problem
    t = cut.next
  }
  if (t !== tokens.length) return `extra words at the end: ${tokens.slice(t).map((x) => x.w)}`
  return undefined
}

/** A word cut across parts, read back from tokens[t…]: where the next word starts, or what is wrong. */
function cutWord(word: string, tokens: Token[], t: number): { next: number } | { problem: string } {
  let acc = ''
  let next = t
  const pieces: string[] = []
  while (acc.length < word.length) {
    const tok = tokens[next]
    if (!tok) return { problem: `"${word}" is missing its end` }
    if (pieces.length > 0 && !tok.first) return { problem: `"${word}" is cut other than at a part boundary` }
    if (acc.length + tok.w.length < word.length && !tok.last) return { problem: `"${word}" is cut mid-part` }
    acc += tok.w
    pieces.push(tok.w)
    next++
  }
  if (acc !== word) return { problem: `"${word}" came back as "${acc}"` }
  const joined = pieces.flatMap((p) => graphemes(p))
  if (joined.join('\u0000') !== graphemes(word).join('\u0000'))
    return { problem: `"${word}" is cut inside a grapheme` }
  return { next }
}
