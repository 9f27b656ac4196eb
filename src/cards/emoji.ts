import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

// @NOTE Emoji are drawn from Twemoji SVGs in @twemoji/svg (no font, no network). Twemoji names a file by the
// sequence's code points in hex joined by '-', dropping U+FE0F unless the sequence has a ZWJ (U+200D).

const require = createRequire(import.meta.url)
const dir = dirname(require.resolve('@twemoji/svg/package.json'))

const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u

export function isEmoji(grapheme: string): boolean {
  return EMOJI.test(grapheme)
}

function names(grapheme: string): string[] {
  const hex = (s: string) => [...s].map((c) => (c.codePointAt(0) ?? 0).toString(16)).join('-')
  const stripped = grapheme.replace(/\ufe0f/g, '')
  return [...new Set([hex(grapheme.includes('\u200d') ? grapheme : stripped), hex(grapheme), hex(stripped)])]
}

/** The Twemoji file for one emoji grapheme, or undefined when Twemoji has none. */
export function emojiFile(grapheme: string): string | undefined {
  for (const n of names(grapheme)) {
    const file = join(dir, `${n}.svg`)
    if (existsSync(file)) return file
  }
  return undefined
}

const cache = new Map<string, string>()

/** A data URI satori can draw for an emoji grapheme (empty string when there is none). */
export function emojiDataUri(grapheme: string): string {
  const hit = cache.get(grapheme)
  if (hit !== undefined) return hit
  const file = emojiFile(grapheme)
  const uri = file ? `data:image/svg+xml;base64,${readFileSync(file).toString('base64')}` : ''
  cache.set(grapheme, uri)
  return uri
}
