import { XRPCError } from '@atproto/api'
import { TID } from '@atproto/common-web'
import { describe, expect, it } from 'vitest'
import { toPublishError } from '../../src/platforms/bluesky-errors.ts'
import { slotRecordKeys } from '../../src/platforms/bluesky-keys.ts'
import { provesNotPosted } from '../../src/platforms/errors.ts'
import type { ComposedThread } from '../../src/threads/types.ts'

// Record keys that can be worked out again, and which failures prove a part was not posted.

function thread(threadId: string, parts = 3): ComposedThread {
  return {
    campaign: 'asp21',
    day: '2022-12-05',
    threadId,
    quoteId: threadId,
    platform: 'bluesky',
    parts: Array.from({ length: parts }, (_, index) => ({ index, text: `part ${index + 1}` })),
  }
}

describe('slotRecordKeys', () => {
  const at = Date.parse('2022-12-05T09:30:00Z')

  it('gives the same valid TIDs for the same thread and slot, in part order, at the slot instant', () => {
    const keys = slotRecordKeys(thread('asp21-nur'), at)
    expect(slotRecordKeys(thread('asp21-nur'), at)).toEqual(keys)
    expect(keys).toHaveLength(3)
    for (const k of keys) expect(k).toMatch(/^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/)
    expect([...keys].sort()).toEqual(keys)
    const tids = keys.map((k) => TID.fromStr(k))
    expect(tids.every((t) => Math.floor(t.timestamp() / 1000) === at)).toBe(true)
  })

  it('gives other keys to another thread in the same slot, and to the same thread in another slot', () => {
    const keys = new Set(slotRecordKeys(thread('asp21-nur'), at))
    for (const other of [
      slotRecordKeys(thread('asp21-ajar'), at),
      slotRecordKeys(thread('asp21-nur'), at + 1),
    ])
      expect(other.some((k) => keys.has(k))).toBe(false)
  })
})

describe('provesNotPosted', () => {
  const rateLimited = new XRPCError(429, 'RateLimitExceeded', 'slow down', {
    'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 5),
  })
  it('is true only for the answer to the write itself', () => {
    expect(provesNotPosted(toPublishError(rateLimited, 'write', 'post part 1'))).toBe(true)
    expect(provesNotPosted(toPublishError(rateLimited, 'login', 'resume session'))).toBe(false)
    expect(provesNotPosted(toPublishError(rateLimited, 'read', 'check part 1'))).toBe(false)
    expect(provesNotPosted(toPublishError(new XRPCError(503, 'Unavailable'), 'write', 'post part 1'))).toBe(
      false,
    )
  })
})
