import twitterText from 'twitter-text'
import type { Platform } from '../quotes/schema.ts'

// @NOTE Each platform counts the way it will count when it refuses a post: X by twitter-text's weighted length
// (a URL is 23, CJK and emoji are 2), Bluesky by graphemes (a family emoji is one).

export const POST_LIMITS: Record<Platform, number> = { x: 280, bluesky: 300 }

const graphemeSegmenter = new Intl.Segmenter('und', { granularity: 'grapheme' })

export function graphemes(text: string): string[] {
  return Array.from(graphemeSegmenter.segment(text), (s) => s.segment)
}

export function countPost(platform: Platform, text: string): number {
  if (platform === 'x') return twitterText.parseTweet(text).weightedLength
  let n = 0
  for (const _ of graphemeSegmenter.segment(text)) n++
  return n
}

export function fitsPost(platform: Platform, text: string): boolean {
  return countPost(platform, text) <= POST_LIMITS[platform]
}
