import type { Queue } from 'bullmq'
import { RateLimitedError } from '../src/platforms/errors.ts'
import type { RequestGate } from '../src/platforms/publisher.ts'
import type { Platform } from '../src/quotes/schema.ts'
import type { Queues } from './queues.ts'

// @NOTE A platform's "slow down" must reach every worker process, not only the one that heard it. BullMQ 6.7
// keeps a queue-wide hold in the queue's limiter key (queue.rateLimit), but its fetch script only reads that key
// when the worker has a `limiter` option (getRateLimitTTL.lua): without one, other processes take jobs inside the
// hold. So every publish worker carries this limiter. Its max is far above any posting pace, so it never limits
// by itself; it only makes the hold count. A job already running when the hold lands meets it at its next
// request (holdGate, awaited by the publishers before each request) and is given back to the queue.

/** The limiter every publish worker carries (jobs per duration). */
export const PUBLISH_LIMITER = { max: 1_000_000, duration: 1000 }

/** Holds the queue for every worker process until `ms` from now. */
async function holdQueue(queue: Queue, ms: number): Promise<void> {
  await queue.rateLimit(Math.max(1, Math.ceil(ms)))
}

/** How long the queue is still held (0: not held). */
export async function holdRemaining(queue: Queue): Promise<number> {
  return Math.max(0, await queue.getRateLimitTtl(PUBLISH_LIMITER.max))
}

/**
 * The publishers' request gate for one platform: no request while its queue is held. Not `notPosted`: the gate
 * does not know whether it stopped a post or a lookup, and only a post's own answer may clear the in-flight mark.
 */
export function holdGate(q: Queues, platform: Platform): RequestGate {
  return async () => {
    const ms = await holdRemaining(q.publish[platform])
    if (ms > 0)
      throw new RateLimitedError(
        `${platform} is held after a 429 for ${ms} ms more`,
        new Date(Date.now() + ms),
      )
  }
}

/** Holds the platform's queue for every worker until a 429's reset (at least 1 s); returns how long. */
export async function holdUntil(queue: Queue, until: Date): Promise<number> {
  const ms = Math.max(1000, until.getTime() - Date.now())
  await holdQueue(queue, ms)
  return ms
}
