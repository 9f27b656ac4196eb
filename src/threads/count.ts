import twitterText from 'twitter-text'
import type { Platform } from '../quotes/schema.ts'

// @NOTE Each platform counts the way it will count when it refuses a post: X by twitter-text's weighted length
// (a URL is 23, CJK and emoji are 2), Bluesky by graphemes (a family emoji is one).

export const POST_LIMITS: Record<Platform, number> = { x: 280, bluesky: 300 }

const graphemeSegmenter = new Intl.Segmenter('und', { granularity: 'grapheme' })

export function graphemes(text: string): string[] {
  return Array.from(graphemeSegmenter.segment(text), (s) => s.segment)
}

/**
 * Text where every UTF-16 unit is a grapheme of its own: printable ASCII, newlines, Latin-1 and Latin Extended,
 * and the general punctuation quotes use (curly quotes, dashes, ellipsis, no-break spaces); no "\r" (CRLF is one
 * grapheme), no combining marks, joiners, surrogates or variation selectors.
 */
const ONE_UNIT_GRAPHEMES = /^[\n\x20-\x7e\u00a0-\u02ff\u2010-\u2027\u202f\u2030-\u205e]*$/

export function countPost(platform: Platform, text: string): number {
  if (platform === 'x') return twitterText.parseTweet(text).weightedLength
  // @NOTE Intl.Segmenter costs most of composing a thread (the splitter measures many candidate posts);
  // the plain Latin text of most quotes is counted by its length, which is then the same number.
  if (ONE_UNIT_GRAPHEMES.test(text)) return text.length
  let n = 0
  for (const _ of graphemeSegmenter.segment(text)) n++
  return n
}

export function fitsPost(platform: Platform, text: string): boolean {
  return countPost(platform, text) <= POST_LIMITS[platform]
}
