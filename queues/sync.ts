import type { LoadedBank } from '../src/quotes/load.ts'
import { recordFolder } from './campaign-folders.ts'
import { type Clock, localTime } from './clock.ts'
import type { PlanDeps } from './deps.ts'
import { type DesiredJob, desiredJobs, heldBy, type Skipped } from './desired.ts'
import { failureKind, type PublishJobData } from './payload.ts'
import type { Queues } from './queues.ts'
import { threadKey } from './records.ts'
import {
  asLeft,
  beginSync,
  endSync,
  inputsFingerprint,
  jobLines,
  membershipDigest,
  type Steady,
  unchangedSince,
} from './sync-fingerprint.ts'
import { type ExistingJob, readExisting, readMembership, readQuick } from './sync-read.ts'
import { SyncWriter } from './sync-write.ts'

export { succeeds } from './sync-write.ts'

// @NOTE Idempotent: plan + bank → jobs. Adds new threads, moves changed ones (changeDelay), removes cancelled
// ones, never touches a posted, active or partly posted one. Safe to run from several places at once (the CLI
// and the reconcile sweep): job ids are deterministic and BullMQ ignores a second add of the same id. When
// neither the plan's jobs nor the queues changed since the last complete sync, it reads and writes nothing more
// (sync-fingerprint.ts says what "nothing" covers).

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

type Desired = ReturnType<typeof desiredJobs>

const QUEUED = new Set(['delayed', 'waiting', 'wait', 'paused', 'prioritized'])

function nothingPosted(data: PublishJobData): boolean {
  return data.posted.every((p) => p === null) && data.inFlight === undefined
}

export async function syncPlan(q: Queues, deps: PlanDeps, opts: SyncOptions): Promise<SyncReport> {
  const bank = await deps.loadBank(opts.dir)
  const plan = await deps.plan(bank)
  const campaign = bank.campaign.id
  const read = await readQuick(q, campaign)
  const desired = desiredJobs(bank, plan, opts.clock, (t) => read.cancelled.has(threadKey(campaign, t)))
  const lines = jobLines(desired.jobs)
  const inputs = inputsFingerprint(bank, opts.dir, opts.clock.mode, desired, lines)
  const steady = unchangedSince(read, inputs, opts.dir)
  if (steady) return steadyReport(bank, desired, steady)
  return fullSync(q, { bank, desired, inputs, lines }, opts)
}

/** The report of a sync that found nothing to do, as the last complete sync foresaw it. */
function steadyReport(bank: LoadedBank, desired: Desired, steady: Steady): SyncReport {
  return {
    ...emptyReport(bank, desired),
    kept: steady.kept,
    held: [...desired.held, ...steady.held],
    unchanged: steady.unchanged,
  }
}

function emptyReport(bank: LoadedBank, desired: Desired): SyncReport {
  return {
    campaign: bank.campaign.id,
    timezone: bank.campaign.timezone,
    added: [],
    moved: [],
    removed: [],
    kept: [],
    held: [...desired.held],
    unchanged: 0,
    overdue: 0,
    skipped: desired.skipped,
  }
}

interface Wanted {
  bank: LoadedBank
  desired: Desired
  inputs: string
  /** jobLines(desired.jobs) */
  lines: string[]
}

async function fullSync(q: Queues, w: Wanted, opts: SyncOptions): Promise<SyncReport> {
  const campaign = w.bank.campaign.id
  const { gen, last } = await beginSync(q, campaign)
  // The worker finds this campaign's folder here (or among its own): jobs never carry a path.
  await recordFolder(q, campaign, opts.dir)
  const membership = await readMembership(q)
  // Read only the jobs a decision needs: not those as the last sync left them, nor finished ones nobody wants.
  const known = asLeft(last, membership, w.desired.jobs, w.lines)
  const wanted = new Set(w.desired.jobs.map((d) => d.jobId))
  const existing = await readExisting(q, membership, campaign, opts.clock.mode, (id, state) =>
    wanted.has(id) ? !known.has(id) : state !== 'completed',
  )
  const now = (opts.now ?? Date.now)()
  const writer = new SyncWriter(q, membership, {
    clock: opts.clock,
    now,
    cardLeadMs: opts.cardLeadMs,
    retryDelayMs: opts.retryDelayMs,
  })
  const report = emptyReport(w.bank, w.desired)
  const outcomes = await Promise.all(
    w.desired.jobs.map((d) =>
      known.has(d.jobId) ? UNCHANGED : reconcileOne(writer, d, existing.get(d.jobId), now),
    ),
  )
  for (const [i, o] of outcomes.entries()) record(report, o, w.desired.jobs[i], now)
  const heldByJobs = await dropUnwanted(writer, w, existing, report)
  await writer.flush()
  const steady: Steady = {
    unchanged: report.unchanged + report.added.length + report.moved.length,
    kept: report.kept,
    held: heldByJobs,
  }
  const synced = { inputs: w.inputs, jobs: membershipDigest(writer.expected), steady }
  await endSync(q, campaign, gen, synced, writer.wrote, w.lines)
  return report
}

type Outcome =
  | { kind: 'added' | 'unchanged' }
  | { kind: 'moved'; from: string }
  | { kind: 'kept'; state: string }

const UNCHANGED: Outcome = { kind: 'unchanged' }

function record(report: SyncReport, o: Outcome, d: DesiredJob | undefined, now: number): void {
  if (!d) return
  switch (o.kind) {
    case 'added':
      report.added.push(d.jobId)
      if (d.data.dueAt < now) report.overdue++
      return
    case 'unchanged':
      report.unchanged++
      return
    case 'moved':
      report.moved.push({ jobId: d.jobId, from: o.from, to: d.data.at })
      return
    case 'kept':
      report.kept.push({ jobId: d.jobId, state: o.state })
  }
}

async function reconcileOne(
  writer: SyncWriter,
  d: DesiredJob,
  job: ExistingJob | undefined,
  now: number,
): Promise<Outcome> {
  if (!job) {
    writer.add(d)
    return { kind: 'added' }
  }
  // Cancelled at run time (consent withdrawn, say) and postable again now, with its slot still ahead.
  const revived =
    job.state === 'completed' && job.outcome === 'cancelled' && nothingPosted(job.data) && d.data.dueAt > now
  if (revived && (await writer.remove(job))) {
    writer.add(d)
    return { kind: 'added' }
  }
  const moved = job.data.at !== d.data.at || job.data.dueAt !== d.data.dueAt
  if (!moved) return { kind: 'unchanged' }
  if (job.state === 'delayed' && (await writer.move(job, d))) return { kind: 'moved', from: job.data.at }
  // A queued job that no worker has touched, or one that missed its old slot: queue it afresh at the new time.
  const fresh =
    nothingPosted(job.data) &&
    ((QUEUED.has(job.state) && job.data.firstTriedAt === undefined) ||
      (job.state === 'failed' && failureKind(job.failedReason) === 'missed'))
  if (fresh && (await writer.remove(job))) {
    writer.add(d)
    return { kind: 'moved', from: job.data.at }
  }
  return { kind: 'kept', state: job.state }
}

/**
 * Jobs the plan no longer asks for: removed while nothing of them is out, else kept for a person. Returns the
 * threads held because their quote cannot be read now (beside those the plan itself holds).
 */
async function dropUnwanted(
  writer: SyncWriter,
  w: Wanted,
  existing: Map<string, ExistingJob>,
  report: SyncReport,
): Promise<Skipped[]> {
  const wanted = new Set(w.desired.jobs.map((j) => j.jobId))
  const why = new Map(w.desired.skipped.map((s) => [s.threadId, s.reason]))
  const unreadable = heldBy(w.bank)
  const heldThreads = new Set(w.desired.held.map((h) => h.threadId))
  const held: Skipped[] = []
  const drops: Promise<Dropped>[] = []
  for (const [jobId, job] of existing) {
    if (wanted.has(jobId)) continue
    // Not in the plan read from a broken bank (a fresh plan leaves such quotes out): kept, not removed.
    const unread = unreadable(job.data.quoteId)
    if (unread && job.state !== 'completed') {
      if (!heldThreads.has(job.data.threadId)) {
        heldThreads.add(job.data.threadId)
        held.push({ threadId: job.data.threadId, quoteId: job.data.quoteId, reason: unread })
      }
      continue
    }
    drops.push(dropOne(writer, job))
  }
  for (const d of await Promise.all(drops)) {
    if (d.removed)
      report.removed.push({
        jobId: d.job.id,
        reason: why.get(d.job.data.threadId) ?? 'no longer in the plan',
      })
    else if (d.job.state !== 'completed') report.kept.push({ jobId: d.job.id, state: d.job.state })
  }
  report.held.push(...held)
  return held
}

interface Dropped {
  job: ExistingJob
  removed: boolean
}

async function dropOne(writer: SyncWriter, job: ExistingJob): Promise<Dropped> {
  // @NOTE A job may start between our read and this call: BullMQ refuses to remove a locked job.
  const removed = QUEUED.has(job.state) && nothingPosted(job.data) && (await writer.remove(job))
  return { job, removed }
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
