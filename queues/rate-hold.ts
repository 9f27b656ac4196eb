import type { Queue } from 'bullmq'

// @NOTE A platform's "slow down" must reach every worker process, not only the one that heard it. BullMQ 6.7
// keeps a queue-wide hold in the queue's limiter key (queue.rateLimit), but its fetch script only reads that key
// when the worker has a `limiter` option (getRateLimitTTL.lua): without one, other processes take jobs inside the
// hold. So every publish worker carries this limiter. Its max is far above any posting pace, so it never limits
// by itself; it only makes the hold count. A job already running when the hold lands checks it between parts.

/** The limiter every publish worker carries (jobs per duration). */
export const PUBLISH_LIMITER = { max: 1_000_000, duration: 1000 }

/** Holds the queue for every worker process until `ms` from now. */
export async function holdQueue(queue: Queue, ms: number): Promise<void> {
  await queue.rateLimit(Math.max(1, Math.ceil(ms)))
}

/** How long the queue is still held (0: not held). */
export async function holdRemaining(queue: Queue): Promise<number> {
  return Math.max(0, await queue.getRateLimitTtl(PUBLISH_LIMITER.max))
}
