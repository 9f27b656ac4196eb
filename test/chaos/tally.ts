import type { Platform } from '../../src/quotes/schema.ts'
import type { FakeTweet } from '../fake-x/server.ts'
import type { PostRecord } from '../platforms/bluesky-helpers.ts'

// What the platforms hold, read back, against what the composer made: each part found once, each reply under
// the part before it, nothing else.

export interface Expected {
  threadId: string
  platform: Platform
  texts: string[]
}

export interface Tally {
  postsExpected: number
  postsFound: number
  duplicates: number
  lost: number
  brokenChains: number
  stray: number
}

interface Post {
  id: string
  text: string
  parent?: string
}

function blueskyPost(p: PostRecord): Post {
  const reply = p.value.reply as { parent?: { uri?: string } } | undefined
  const parent = reply?.parent?.uri
  return { id: p.uri, text: String(p.value.text ?? ''), ...(parent ? { parent } : {}) }
}

function xPost(t: FakeTweet): Post {
  return { id: t.id, text: t.text, ...(t.inReplyTo ? { parent: t.inReplyTo } : {}) }
}

export function tally(expected: Expected[], posts: PostRecord[], tweets: FakeTweet[]): Tally {
  const held: Record<Platform, Post[]> = { bluesky: posts.map(blueskyPost), x: tweets.map(xPost) }
  const out: Tally = { postsExpected: 0, postsFound: 0, duplicates: 0, lost: 0, brokenChains: 0, stray: 0 }
  const known: Record<Platform, Set<string>> = { bluesky: new Set(), x: new Set() }
  for (const e of expected) {
    let previous: Post | undefined
    let broken = false
    for (const [i, text] of e.texts.entries()) {
      known[e.platform].add(text)
      out.postsExpected++
      const copies = held[e.platform].filter((p) => p.text === text)
      const first = copies[0]
      if (first) out.postsFound++
      else out.lost++
      out.duplicates += Math.max(0, copies.length - 1)
      if (i > 0 && first && first.parent !== previous?.id) broken = true
      previous = first
    }
    if (broken) out.brokenChains++
  }
  for (const p of [...held.bluesky, ...held.x])
    if (!known.bluesky.has(p.text) && !known.x.has(p.text)) out.stray++
  return out
}
