import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { sentTogether } from '../../queues/sent-together.ts'
import { REDIS_URL } from './helpers.ts'

// Commands issued together leave in one socket write, each answered as if sent alone, in order.
describe('sentTogether', () => {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null })
  const key = `ngvtest-together-${randomBytes(4).toString('hex')}`
  afterAll(async () => {
    await redis.del(key)
    redis.disconnect()
  })

  it('holds the writes until the next turn of the loop, then each command gets its own reply', async () => {
    await redis.ping()
    const [set, exists, get, corked] = sentTogether(redis, () => {
      const replies = [
        redis.set(key, 'v'),
        redis.hexists(key, 'f').catch((e: Error) => e.name),
        redis.get(key),
      ]
      return [...replies, redis.stream.writableCorked] as const
    })
    // Nothing has reached the socket's system call yet: the three commands sit in its buffer.
    expect(corked).toBe(1)
    expect(redis.stream.writableLength).toBeGreaterThan(0)
    expect(await set).toBe('OK')
    // A wrong-type error on the second command fails only that command.
    expect(await exists).toBe('ReplyError')
    expect(await get).toBe('v')
    expect(redis.stream.writableCorked).toBe(0)
  })

  it('sends at once when the client is not connected yet (ioredis queues the commands itself)', async () => {
    const lazy = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: null })
    try {
      const reply = sentTogether(lazy, () => lazy.ping())
      expect(await reply).toBe('PONG')
    } finally {
      lazy.disconnect()
    }
  })
})
