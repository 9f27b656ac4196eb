import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'

// @NOTE The CI Redis is shared by every test file: each test gets a namespace of its own and deletes it after,
// also when all it did was open queues (BullMQ writes a meta key per queue on connect).

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

export function testPrefix(area: string): string {
  return `ngvtest-${area}-${randomBytes(4).toString('hex')}`
}

export async function dropNamespace(...prefixes: string[]): Promise<void> {
  const redis = new Redis(REDIS_URL)
  try {
    for (const prefix of prefixes) {
      const keys = await redis.keys(`${prefix}:*`)
      if (keys.length > 0) await redis.del(...keys)
    }
  } finally {
    redis.disconnect()
  }
}
