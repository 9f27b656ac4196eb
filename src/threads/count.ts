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

/** twitter-text's weights (its types leave the config out): a code point in a range weighs its weight, others the default. */
interface WeightConfig {
  scale: number
  defaultWeight: number
  ranges: { start: number; end: number; weight: number }[]
}
const X_WEIGHTS = (twitterText as unknown as { configs: { defaults: WeightConfig } }).configs.defaults

/**
 * @NOTE parseTweet looks for URLs and emoji with large regexes on every call, most of composing a thread for X.
 * Text that can hold no URL is weighed character by character with twitter-text's own weights, which is what
 * parseTweet then does: one unit per grapheme (above; the only emoji there, "‼" and "⁉", weigh the default as
 * characters too), and no dot followed by anything but a space or the end (every URL it finds has a dot inside
 * its domain). test/threads/count.test.ts checks both ways agree.
 */
const URL_DOT = /\.\S/

function xWeight(text: string): number {
  let sum = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    sum += X_WEIGHTS.ranges.find((r) => c >= r.start && c <= r.end)?.weight ?? X_WEIGHTS.defaultWeight
  }
  return sum / X_WEIGHTS.scale
}

export function countPost(platform: Platform, text: string): number {
  if (platform === 'x')
    return ONE_UNIT_GRAPHEMES.test(text) && !URL_DOT.test(text)
      ? xWeight(text)
      : twitterText.parseTweet(text).weightedLength
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
