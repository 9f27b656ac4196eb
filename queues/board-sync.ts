import type { Job } from 'bullmq'
import { PLATFORMS } from '../src/quotes/schema.ts'
import { planDeps } from './deps.ts'
import { publishJobId, sweepSchedulerId } from './names.ts'
import type { PublishJobData, PublishResult } from './payload.ts'
import { publishQueueList, type Queues } from './queues.ts'
import { type SyncReport, succeeds } from './sync.ts'
import { syncLive } from './worker.ts'

// @NOTE What the planning board asks of the queue. A change on the page takes effect at once through the same
// sync as `ngovoices schedule`, but only for a week that is already queued: moving a thread on the page must
// never be what first queues a whole week for posting.

type PublishJob = Job<PublishJobData, PublishResult>

/** Whether this campaign's week is queued in this namespace (`schedule` or `start --live` ran). */
async function isQueued(q: Queues, campaign: string): Promise<boolean> {
  if (await q.sweep.getJobScheduler(sweepSchedulerId(campaign))) return true
  for (const queue of publishQueueList(q)) {
    const counts = await queue.getJobCounts('delayed', 'waiting', 'prioritized', 'active', 'failed')
    if (Object.values(counts).some((n) => n > 0)) return true
  }
  return false
}

/** Syncs the plan now when the week is queued; undefined when it is not (nothing to do until `schedule`). */
export async function syncIfQueued(
  q: Queues,
  campaign: string,
  dir: string,
  cacheDir: string,
): Promise<SyncReport | undefined> {
  if (!(await isQueued(q, campaign))) return undefined
  return syncLive(q, planDeps, dir, cacheDir)
}

/** A thread's jobs by their ids (deterministic), without scanning the queues. */
async function threadJobs(
  q: Queues,
  campaign: string,
  threadId: string,
): Promise<{ job: PublishJob; state: string }[]> {
  const found = await Promise.all(
    PLATFORMS.map(async (p) => {
      const job = await q.publish[p].getJob(publishJobId(campaign, threadId, p))
      return job ? { job, state: await job.getState() } : undefined
    }),
  )
  return found.filter((f) => f !== undefined)
}

const nothingOut = (job: PublishJob) =>
  job.data.posted.every((p) => p === null) && job.data.inFlight === undefined

/** Why a thread can no longer be moved or cancelled (a part of it is out or going out), or undefined. */
export async function postedWhy(q: Queues, campaign: string, threadId: string): Promise<string | undefined> {
  for (const { job, state } of await threadJobs(q, campaign, threadId)) {
    if (state === 'active') return 'It is being posted right now, so it stays where it is.'
    if (state === 'completed' && job.returnvalue?.outcome === 'posted')
      return 'It has been posted already, so it stays where it is.'
    if (!nothingOut(job))
      return 'Part of it has been posted already, so it stays where it is: retry or cancel the rest instead.'
  }
  return undefined
}

/**
 * Removes a thread's queued jobs that have posted nothing, at once (a withdrawn quote's posts must stop before a
 * worker can take them; the sync that follows says the same). A job a worker holds is left to the worker, which
 * re-reads the bank before it posts.
 */
export async function dropQueued(q: Queues, campaign: string, threadId: string): Promise<number> {
  let dropped = 0
  for (const { job, state } of await threadJobs(q, campaign, threadId)) {
    if (
      ['delayed', 'waiting', 'prioritized', 'paused'].includes(state) &&
      nothingOut(job) &&
      (await succeeds(job.remove()))
    )
      dropped++
  }
  return dropped
}
