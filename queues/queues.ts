import { type ConnectionOptions, Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import { PLATFORMS, type Platform } from '../src/quotes/schema.ts'
import { CARDS_QUEUE, PUBLISH_QUEUES, SWEEP_QUEUE } from './names.ts'
import type { CardJobData, PublishJobData, PublishResult, SweepJobData } from './payload.ts'

export type PublishQueue = Queue<PublishJobData, PublishResult>

/** Every queue of one namespace (prefix): live jobs, or one rehearsal run, or one test. */
export interface Queues {
  prefix: string
  connection: ConnectionOptions
  /** A plain client for our own records (unconfirmed, cancelled). */
  redis: Redis
  publish: Record<Platform, PublishQueue>
  cards: Queue<CardJobData>
  sweep: Queue<SweepJobData>
  close(): Promise<void>
}

export function openQueues(redis: Redis, prefix: string): Queues {
  // @NOTE BullMQ duplicates the client for its blocking calls; it needs maxRetriesPerRequest: null there.
  const connection = redis
  const publish = {
    x: new Queue<PublishJobData, PublishResult>(PUBLISH_QUEUES.x, { connection, prefix }),
    bluesky: new Queue<PublishJobData, PublishResult>(PUBLISH_QUEUES.bluesky, { connection, prefix }),
  }
  const cards = new Queue<CardJobData>(CARDS_QUEUE, { connection, prefix })
  const sweep = new Queue<SweepJobData>(SWEEP_QUEUE, { connection, prefix })
  return {
    prefix,
    connection,
    redis,
    publish,
    cards,
    sweep,
    async close() {
      await Promise.all([...PLATFORMS.map((p) => publish[p].close()), cards.close(), sweep.close()])
    },
  }
}

export function publishQueueList(q: Queues): PublishQueue[] {
  return PLATFORMS.map((p) => q.publish[p])
}

/** Deletes everything a namespace holds: used when a rehearsal ends and after each test. */
export async function obliterateAll(q: Queues): Promise<void> {
  for (const queue of [...publishQueueList(q), q.cards, q.sweep]) {
    for (const s of await queue.getJobSchedulers()) await queue.removeJobScheduler(s.key)
    await queue.obliterate({ force: true })
  }
  // Our own records and anything else left under the prefix (events streams, meta keys).
  let cursor = '0'
  do {
    const [next, keys] = await q.redis.scan(cursor, 'MATCH', `${q.prefix}:*`, 'COUNT', 500)
    cursor = next
    if (keys.length > 0) await q.redis.del(...keys)
  } while (cursor !== '0')
}
