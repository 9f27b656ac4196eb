import { findThread } from './control.ts'
import { planDeps } from './deps.ts'
import { sweepSchedulerId } from './names.ts'
import { publishQueueList, type Queues } from './queues.ts'
import type { SyncReport } from './sync.ts'
import { syncLive } from './worker.ts'

// @NOTE What the planning board asks of the queue. A change on the page takes effect at once through the same
// sync as `ngovoices schedule`, but only for a week that is already queued: moving a thread on the page must
// never be what first queues a whole week for posting.

/** Whether this campaign's week is queued in this namespace (`schedule` or `start --live` ran). */
export async function isQueued(q: Queues, campaign: string): Promise<boolean> {
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

/** Why a thread can no longer be moved or cancelled (a part of it is out or going out), or undefined. */
export async function postedWhy(q: Queues, campaign: string, threadId: string): Promise<string | undefined> {
  for (const { job, state } of await findThread(q, threadId)) {
    if (job.data.campaign !== campaign) continue
    if (state === 'active') return 'It is being posted right now, so it stays where it is.'
    if (state === 'completed' && job.returnvalue?.outcome === 'posted')
      return 'It has been posted already, so it stays where it is.'
    if (job.data.posted.some((p) => p !== null) || job.data.inFlight !== undefined)
      return 'Part of it has been posted already, so it stays where it is: retry or cancel the rest instead.'
  }
  return undefined
}
