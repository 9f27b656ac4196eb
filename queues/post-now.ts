import { RateLimitedError } from '../src/platforms/errors.ts'
import type { PostedRef, Publisher } from '../src/platforms/publisher.ts'
import type { ComposedThread } from '../src/threads/types.ts'
import { publishJobId } from './names.ts'
import { type Checkpoint, type CheckpointStore, publishThread, type ThreadRun } from './publish-thread.ts'
import type { Queues } from './queues.ts'
import { holdUntil } from './rate-hold.ts'

// @NOTE `ngovoices post` posts through the worker's loop (publish-thread.ts), with its checkpoint in Redis under
// the id the worker gives the same thread on the same platform (publishJobId), and the publisher's name, since
// `post` may send it to the outbox in a live namespace. A thread half-posted by hand resumes on the next
// `ngovoices post` as a job resumes on its retry: at the first part not posted, looking first for the part
// that was in flight. It is not the job's own checkpoint: the job posts at its slot and `post` posts now, so
// sharing one would make either skip the other's posts. The record goes once the thread is complete, so posting
// the quote again later is a new thread, as it always was. A 429 heard here holds the platform for the workers
// too (and their holds reach `post` through the publisher's request gate).

function postNowKey(prefix: string, publisher: Publisher['name'], thread: ComposedThread): string {
  const id = publishJobId(thread.campaign, thread.threadId, thread.platform)
  return `${prefix}:ngovoices:post:${publisher}:${id}`
}

/** Posts `thread` now, resuming where an earlier `post` of it stopped; throws the publisher's errors. */
export async function postNow(
  q: Queues,
  thread: ComposedThread,
  publisher: Publisher,
  onPart?: ThreadRun['onPart'],
): Promise<PostedRef[]> {
  const key = postNowKey(q.prefix, publisher.name, thread)
  const checkpoint = await redisCheckpoint(q, key)
  try {
    const { refs } = await publishThread({ thread, publisher, checkpoint, ...(onPart ? { onPart } : {}) })
    await q.redis.del(key)
    return refs
  } catch (err) {
    if (err instanceof RateLimitedError && publisher.name !== 'outbox')
      await holdUntil(q.publish[publisher.name], err.until)
    throw err
  }
}

async function redisCheckpoint(q: Queues, key: string): Promise<CheckpointStore> {
  const saved = await q.redis.get(key)
  // Our own record, written below: trusted like a job's data.
  let current: Checkpoint = saved ? JSON.parse(saved) : { posted: [], firstTriedAt: Date.now() }
  return {
    get current() {
      return current
    },
    async save(patch) {
      current = { ...current, ...patch }
      await q.redis.set(key, JSON.stringify(current))
    },
  }
}
