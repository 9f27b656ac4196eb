import type { Job, JobsOptions } from 'bullmq'
import { PLATFORMS } from '../src/quotes/schema.ts'
import { recordFolder } from './campaign-folders.ts'
import { type Clock, localTime } from './clock.ts'
import type { PlanDeps } from './deps.ts'
import { type DesiredJob, desiredJobs, heldBy, type Skipped } from './desired.ts'
import { cardJobId } from './names.ts'
import { failureKind, type PublishJobData, type PublishResult } from './payload.ts'
import type { Queues } from './queues.ts'
import { handCancels, threadKey } from './records.ts'

// @NOTE Idempotent: plan + bank → jobs. Adds new threads, moves changed ones (changeDelay), removes cancelled
// ones, never touches a posted, active or partly posted one. Safe to run from several places at once (the CLI
// and the reconcile sweep): job ids are deterministic and BullMQ ignores a second add of the same id.

type PublishJob = Job<PublishJobData, PublishResult>

export interface SyncReport {
  campaign: string
  timezone: string
  added: string[]
  moved: { jobId: string; from: string; to: string }[]
  removed: { jobId: string; reason: string }[]
  /** Jobs left alone because they are running, posted or failed (a person decides). */
  kept: { jobId: string; state: string }[]
  /** Threads whose quote cannot be read now (the bank has errors): their jobs are kept as they are. */
  held: Skipped[]
  unchanged: number
  skipped: Skipped[]
  /** Added jobs whose slot had already passed: posted late within the grace period, else marked missed. */
  overdue: number
}

export interface SyncOptions {
  dir: string
  clock: Clock
  /** Real clock, injectable for tests. */
  now?: () => number
  /** Where rendered cards are cached: the card job fills it, the publish job reads it back. */
  cacheDir: string
  /** How long before its slot a thread's card is rendered. */
  cardLeadMs?: number
  /** First retry delay of a failed post (doubling after); fault tests and the chaos run shorten it. */
  retryDelayMs?: number
}

const QUEUED = new Set(['delayed', 'waiting', 'wait', 'paused', 'prioritized'])

export function publishJobOptions(
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

function nothingPosted(data: PublishJobData): boolean {
  return data.posted.every((p) => p === null) && data.inFlight === undefined
}

export async function syncPlan(q: Queues, deps: PlanDeps, opts: SyncOptions): Promise<SyncReport> {
  const now = opts.now ?? Date.now
  const bank = await deps.loadBank(opts.dir)
  const plan = await deps.plan(bank)
  const campaign = bank.campaign.id
  // The worker finds this campaign's folder here (or among its own): jobs never carry a path.
  await recordFolder(q, campaign, opts.dir)
  const cancelled = await handCancels(q)
  const { jobs, skipped, held } = desiredJobs(bank, plan, opts.clock, (t) =>
    cancelled.has(threadKey(campaign, t)),
  )
  const report: SyncReport = {
    campaign,
    timezone: bank.campaign.timezone,
    added: [],
    moved: [],
    removed: [],
    kept: [],
    held,
    unchanged: 0,
    overdue: 0,
    skipped,
  }
  const existing = new Map<string, { job: PublishJob; state: string }>()
  // Read in parallel (the board syncs on every change and waits for it), then taken in the same order as before.
  const states = ['delayed', 'waiting', 'prioritized', 'active', 'completed', 'failed'] as const
  const lists = await Promise.all(
    PLATFORMS.flatMap((p) =>
      states.map(async (state) => ({ state, jobs: await q.publish[p].getJobs([state]) })),
    ),
  )
  for (const { state, jobs } of lists) {
    for (const job of jobs) {
      // A job of an older version names its mode: one of the other mode is not this sync's to change.
      if (job?.id && job.data.campaign === campaign && (job.data.mode ?? opts.clock.mode) === opts.clock.mode)
        existing.set(job.id, { job, state })
    }
  }
  const wanted = new Set(jobs.map((j) => j.jobId))
  for (const d of jobs) {
    const found = existing.get(d.jobId)
    if (!found) {
      await addPublish(q, d, now(), opts)
      report.added.push(d.jobId)
      if (d.data.dueAt < now()) report.overdue++
    } else {
      await reconcileOne(q, d, found.job, found.state, now(), opts, report)
    }
  }
  const why = new Map(skipped.map((s) => [s.threadId, s.reason]))
  const unreadable = heldBy(bank)
  const heldThreads = new Set(held.map((h) => h.threadId))
  for (const [jobId, { job, state }] of existing) {
    if (wanted.has(jobId)) continue
    // Not in the plan read from a broken bank (a fresh plan leaves such quotes out): kept, not removed.
    const unread = unreadable(job.data.quoteId)
    if (unread && state !== 'completed') {
      if (!heldThreads.has(job.data.threadId)) {
        heldThreads.add(job.data.threadId)
        held.push({ threadId: job.data.threadId, quoteId: job.data.quoteId, reason: unread })
      }
      continue
    }
    if (QUEUED.has(state) && nothingPosted(job.data)) {
      // @NOTE A job may start between our read and this call: BullMQ refuses to remove a locked job.
      const gone = await succeeds(job.remove())
      if (gone) {
        report.removed.push({ jobId, reason: why.get(job.data.threadId) ?? 'no longer in the plan' })
        continue
      }
    }
    if (state !== 'completed') report.kept.push({ jobId, state })
  }
  return report
}

async function addPublish(q: Queues, d: DesiredJob, now: number, opts: SyncOptions): Promise<void> {
  const queue = q.publish[d.data.platform]
  await queue.add(
    'post',
    d.data,
    publishJobOptions(d.jobId, d.data.dueAt, now, opts.clock.mode, opts.retryDelayMs),
  )
  await scheduleCard(q, d.data, now, opts)
}

async function reconcileOne(
  q: Queues,
  d: DesiredJob,
  job: PublishJob,
  state: string,
  now: number,
  opts: SyncOptions,
  report: SyncReport,
): Promise<void> {
  // Cancelled at run time (consent withdrawn, say) and postable again now, with its slot still ahead.
  const revived =
    state === 'completed' &&
    job.returnvalue?.outcome === 'cancelled' &&
    nothingPosted(job.data) &&
    d.data.dueAt > now
  if (revived && (await succeeds(job.remove()))) {
    await addPublish(q, d, now, opts)
    report.added.push(d.jobId)
    return
  }
  const moved = job.data.at !== d.data.at || job.data.dueAt !== d.data.dueAt
  if (!moved) {
    report.unchanged++
    return
  }
  const movedTo = { jobId: d.jobId, from: job.data.at, to: d.data.at }
  if (state === 'delayed') {
    // Delay first, data second: a sync that dies between the two leaves the old time in the data, so the next
    // sweep sees the move again and finishes it. The other order would hide the move behind the new data forever.
    const ok = await succeeds(job.changeDelay(Math.max(0, d.data.dueAt - now)))
    if (ok) {
      await job.updateData({ ...job.data, at: d.data.at, day: d.data.day, dueAt: d.data.dueAt })
      await scheduleCard(q, d.data, now, opts)
      report.moved.push(movedTo)
      return
    }
  }
  // A queued job that no worker has touched, or one that missed its old slot: queue it afresh at the new time.
  const fresh =
    nothingPosted(job.data) &&
    ((QUEUED.has(state) && job.data.firstTriedAt === undefined) ||
      (state === 'failed' && failureKind(job.failedReason) === 'missed'))
  if (fresh && (await succeeds(job.remove()))) {
    await addPublish(q, d, now, opts)
    report.moved.push(movedTo)
    return
  }
  report.kept.push({ jobId: d.jobId, state })
}

async function scheduleCard(q: Queues, data: PublishJobData, now: number, opts: SyncOptions): Promise<void> {
  const lead = opts.clock.mode === 'live' ? (opts.cardLeadMs ?? 15 * 60_000) : 0
  const delay = Math.max(0, data.dueAt - lead - now)
  const jobId = cardJobId(data.campaign, data.threadId)
  const existing = await q.cards.getJob(jobId)
  if (existing && (await existing.getState()) === 'delayed') {
    await existing.changeDelay(delay).catch(() => undefined)
    return
  }
  await q.cards.add(
    'render',
    { campaign: data.campaign, quoteId: data.quoteId },
    { jobId, delay, attempts: 3, removeOnComplete: true, removeOnFail: { count: 1000 } },
  )
}

export function formatSyncReport(r: SyncReport): string[] {
  const lines = [
    `${r.campaign} (times in ${r.timezone}): ${r.added.length} added, ${r.moved.length} moved, ${r.removed.length} removed, ${r.unchanged} unchanged`,
  ]
  for (const id of r.added) lines.push(`  + ${id}`)
  const shown = (at: string) => localTime(Date.parse(at), r.timezone)
  for (const m of r.moved) lines.push(`  ~ ${m.jobId}  ${shown(m.from)} → ${shown(m.to)}`)
  for (const m of r.removed) lines.push(`  - ${m.jobId}  (${m.reason})`)
  for (const k of r.kept) lines.push(`  = ${k.jobId}  left as it is (${k.state})`)
  for (const s of r.skipped) lines.push(`  · ${s.threadId} not queued: ${s.reason}`)
  for (const h of r.held) lines.push(`  ! ${h.threadId} held, its quote cannot be read: ${h.reason}`)
  if (r.held.length > 0)
    lines.push(
      `  ! fix the quote bank (\`ngovoices validate\`): held threads keep their jobs and go out once it reads cleanly`,
    )
  if (r.overdue > 0)
    lines.push(
      `  ! ${r.overdue} added post(s) are already past their slot: within the grace period they go out late, beyond it they are marked missed (\`ngovoices status\`)`,
    )
  return lines
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
