import { Job, type JobsOptions } from 'bullmq'
import { PLATFORMS, type Platform } from '../src/quotes/schema.ts'
import type { Clock } from './clock.ts'
import type { DesiredJob } from './desired.ts'
import { cardJobId } from './names.ts'
import type { PublishJobData, PublishResult } from './payload.ts'
import type { Queues } from './queues.ts'
import type { ExistingJob, Membership } from './sync-read.ts'

// @NOTE Every change a sync makes to jobs goes through here. New publish and card jobs are gathered and added in bulk at the
// end (Queue.addBulk: pipelined, instead of a round trip each), after every removal they may
// replace; the few changes to existing jobs run at once, side by side. It also keeps what Redis should hold
// afterwards, job by job, which is what the next sync compares against (sync-fingerprint.ts).

/** Jobs per addBulk call: its commands are sent together, and a call's jobs are built only as it is made. */
const BULK = 1000

export interface WriteOptions {
  clock: Clock
  now: number
  /** How long before its slot a thread's card is rendered. */
  cardLeadMs?: number | undefined
  retryDelayMs?: number | undefined
}

function publishJobOptions(
  jobId: string,
  dueAt: number,
  now: number,
  mode: Clock['mode'],
  retryDelayMs?: number,
): JobsOptions {
  return {
    jobId,
    // Same `now` for both, so timestamp + delay is exactly when the slot is due.
    timestamp: now,
    delay: Math.max(0, dueAt - now),
    attempts: 5,
    // Rehearsals replay a week in minutes: back off on the same compressed scale.
    backoff: { type: 'exponential', delay: retryDelayMs ?? (mode === 'live' ? 30_000 : 500) },
    // Kept: a finished job is how a re-sync knows the thread was posted, and what status reports.
    removeOnComplete: false,
    removeOnFail: false,
  }
}

/**
 * Whether a job change went through. BullMQ refuses one on a job that changed state since we read it (a worker
 * took it, say); the caller then leaves the job alone, which is always safe.
 */
export async function succeeds(change: Promise<unknown>): Promise<boolean> {
  return change.then(
    () => true,
    () => false,
  )
}

export class SyncWriter {
  /** What the namespace's publish queues should hold once the writes are done. */
  readonly expected: Membership
  private readonly adds: DesiredJob[] = []
  private readonly cards = new Map<string, PublishJobData>()
  private changed = false

  constructor(
    private readonly q: Queues,
    read: Membership,
    private readonly o: WriteOptions,
  ) {
    this.expected = { x: new Map(read.x), bluesky: new Map(read.bluesky) }
  }

  /** Whether anything was written (or is about to be, by flush). */
  get wrote(): boolean {
    return this.changed || this.adds.length > 0
  }

  /** Adds the job (and its card) at flush; BullMQ keeps the first of two adds of one id. */
  add(d: DesiredJob): void {
    this.adds.push(d)
    this.cards.set(cardJobId(d.data.campaign, d.data.threadId), d.data)
  }

  /** Removes a job no worker holds; false when BullMQ refuses (a worker took it meanwhile). */
  async remove(job: ExistingJob): Promise<boolean> {
    const gone = (await this.q.publish[job.platform].remove(job.id).catch(() => 0)) === 1
    if (gone) {
      this.changed = true
      this.expected[job.platform].delete(job.id)
    }
    return gone
  }

  /**
   * Moves a delayed job to its new slot: false when it is no longer delayed.
   * @NOTE Delay first, data second: a sync that dies between the two leaves the old time in the data, so the
   * next sweep sees the move again and finishes it. The other order would hide the move behind the new data.
   */
  async move(job: ExistingJob, d: DesiredJob): Promise<boolean> {
    const queue = this.q.publish[job.platform]
    const ok = await succeeds(queue.getBackend().changeDelay(job.id, Math.max(0, d.data.dueAt - this.o.now)))
    if (!ok) return false
    this.changed = true
    // The data as this sync read it: a delayed job is not running, so nothing else writes its data meanwhile.
    const data = { ...job.data, at: d.data.at, day: d.data.day, dueAt: d.data.dueAt }
    await new Job<PublishJobData, PublishResult>(queue, 'post', data, {}, job.id).updateData(data)
    this.cards.set(cardJobId(d.data.campaign, d.data.threadId), d.data)
    return true
  }

  async flush(): Promise<void> {
    // Side by side: the client prepares the next transaction while Redis runs the last one.
    await Promise.all([...PLATFORMS.map((p) => this.addPublish(p)), this.scheduleCards()])
  }

  private async addPublish(platform: Platform): Promise<void> {
    const mine = this.adds.filter((d) => d.data.platform === platform)
    const queue = this.q.publish[platform]
    const { clock, now, retryDelayMs } = this.o
    const jobs = mine.map((d) => ({
      name: 'post',
      data: d.data,
      opts: publishJobOptions(d.jobId, d.data.dueAt, now, clock.mode, retryDelayMs),
    }))
    await inChunks(jobs, (chunk) => queue.addBulk(chunk))
    for (const d of mine)
      if (!this.expected[platform].has(d.jobId)) this.expected[platform].set(d.jobId, 'delayed')
  }

  /** A card job per added or moved thread: a delayed one is moved, any other left to BullMQ's add. */
  private async scheduleCards(): Promise<void> {
    if (this.cards.size === 0) return
    const { clock, now, cardLeadMs } = this.o
    const lead = clock.mode === 'live' ? (cardLeadMs ?? 15 * 60_000) : 0
    const ids = [...this.cards.keys()]
    const scores = await this.q.redis.zmscore(this.q.cards.toKey('delayed'), ...ids)
    const backend = this.q.cards.getBackend()
    const fresh: { name: string; data: { campaign: string; quoteId: string }; opts: JobsOptions }[] = []
    const moves: Promise<unknown>[] = []
    ids.forEach((jobId, i) => {
      const data = this.cards.get(jobId)
      if (!data) return
      const delay = Math.max(0, data.dueAt - lead - now)
      if (scores[i] !== null && scores[i] !== undefined)
        moves.push(backend.changeDelay(jobId, delay).catch(() => undefined))
      else
        fresh.push({
          name: 'render',
          data: { campaign: data.campaign, quoteId: data.quoteId },
          opts: { jobId, delay, attempts: 3, removeOnComplete: true, removeOnFail: { count: 1000 } },
        })
    })
    await Promise.all([...moves, inChunks(fresh, (chunk) => this.q.cards.addBulk(chunk))])
  }
}

async function inChunks<T>(items: T[], add: (chunk: T[]) => Promise<unknown>): Promise<void> {
  const all: Promise<unknown>[] = []
  for (let i = 0; i < items.length; i += BULK) all.push(add(items.slice(i, i + BULK)))
  await Promise.all(all)
}
