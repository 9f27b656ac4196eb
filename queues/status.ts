import type { Job } from 'bullmq'
import { PLATFORMS, type Platform } from '../src/quotes/schema.ts'
import { localTime } from './clock.ts'
import { failureKind, type PublishJobData, type PublishResult } from './payload.ts'
import type { Queues } from './queues.ts'
import { handCancels, listUnconfirmed, threadKey } from './records.ts'

// @NOTE What `ngovoices status` shows: every thread × platform with its state and the next thing that happens
// to it (or that a person should do), times in the campaign's zone.

type ThreadState =
  | 'queued'
  | 'retrying'
  | 'running'
  | 'posted'
  | 'cancelled'
  | 'failed'
  | 'missed'
  | 'unconfirmed'

export interface ThreadStatus {
  jobId: string
  campaign: string
  threadId: string
  platform: Platform
  tz: string
  /** Slot (campaign time) and when it is due on the real clock. */
  at: string
  dueAt: number
  state: ThreadState
  detail: string
  next: string
  /** A posted thread's first post, where the platform (or the outbox) gave a link. */
  url?: string
}

export interface StatusReport {
  prefix: string
  paused: boolean
  counts: Record<ThreadState, number>
  threads: ThreadStatus[]
  /** Threads cancelled with `ngovoices cancel` (their jobs are gone). */
  handCancelled: { thread: string; reason: string; at: number }[]
}

type PublishJob = Job<PublishJobData, PublishResult>

export async function gatherStatus(q: Queues, now = Date.now()): Promise<StatusReport> {
  const unconfirmed = new Map((await listUnconfirmed(q)).map((u) => [u.jobId, u]))
  const cancels = await handCancels(q)
  const threads: ThreadStatus[] = []
  let paused = false
  for (const p of PLATFORMS) {
    const queue = q.publish[p]
    paused ||= await queue.isPaused()
    const limitedMs = await queue.getRateLimitTtl()
    for (const state of ['delayed', 'waiting', 'prioritized', 'active', 'completed', 'failed'] as const) {
      for (const job of await queue.getJobs([state])) {
        if (!job?.id || job.data?.v !== 1) continue
        threads.push(
          describe(
            job,
            state,
            now,
            paused,
            unconfirmed.has(job.id),
            cancels.has(threadKey(job.data.campaign, job.data.threadId)),
            limitedMs,
          ),
        )
      }
    }
  }
  threads.sort(
    (a, b) =>
      a.at.localeCompare(b.at) ||
      a.threadId.localeCompare(b.threadId) ||
      a.platform.localeCompare(b.platform),
  )
  const counts: Record<ThreadState, number> = {
    queued: 0,
    retrying: 0,
    running: 0,
    posted: 0,
    cancelled: 0,
    failed: 0,
    missed: 0,
    unconfirmed: 0,
  }
  for (const t of threads) counts[t.state]++
  const handCancelled = [...cancels.values()].map((c) => ({ thread: c.threadId, reason: c.reason, at: c.at }))
  return { prefix: q.prefix, paused, counts, threads, handCancelled }
}

/** What every state of a thread shows alike. */
type Base = Pick<ThreadStatus, 'jobId' | 'campaign' | 'threadId' | 'platform' | 'tz' | 'at' | 'dueAt'>

function describe(
  job: PublishJob,
  state: string,
  now: number,
  paused: boolean,
  isUnconfirmed: boolean,
  handCancelled: boolean,
  limitedMs: number,
): ThreadStatus {
  const d = job.data
  const base: Base = {
    jobId: job.id ?? '',
    campaign: d.campaign,
    threadId: d.threadId,
    platform: d.platform,
    tz: d.tz,
    at: d.at,
    dueAt: d.dueAt,
  }
  const progress = progressOf(d)
  if (state === 'completed') return describeCompleted(job, base)
  if (state === 'failed') return describeFailed(job, base, isUnconfirmed, progress)
  if (state === 'active') return { ...base, state: 'running', detail: progress, next: 'posting now' }
  if (handCancelled) return { ...base, state: 'cancelled', detail: 'cancelled by hand', next: 'nothing' }
  const when = localTime(Math.max(d.dueAt, now), d.tz)
  if (job.attemptsMade > 0 && job.failedReason) {
    return {
      ...base,
      state: 'retrying',
      detail: `${job.failedReason} (${progress})`,
      next: `attempt ${job.attemptsMade + 1} of ${job.opts.attempts ?? 1} at ${when}`,
    }
  }
  return { ...base, state: 'queued', detail: progress, next: nextForQueued(d, when, now, paused, limitedMs) }
}

function progressOf(d: PublishJobData): string {
  const done = d.posted.filter((p) => p !== null).length
  const parts = d.keys?.length ?? 0
  return parts > 0 ? `${done}/${parts} parts posted` : 'not started'
}

function describeCompleted(job: PublishJob, base: Base): ThreadStatus {
  const r = job.returnvalue
  if (r?.outcome === 'cancelled')
    return { ...base, state: 'cancelled', detail: r.note ?? '', next: 'nothing' }
  const url = r?.refs[0]?.url
  return {
    ...base,
    state: 'posted',
    detail: [url, r?.note].filter(Boolean).join('  '),
    next: 'nothing',
    ...(url ? { url } : {}),
  }
}

function describeFailed(job: PublishJob, base: Base, isUnconfirmed: boolean, progress: string): ThreadStatus {
  const d = job.data
  const retry = `ngovoices retry ${d.threadId}`
  const kind = isUnconfirmed ? 'unconfirmed' : failureKind(job.failedReason)
  const reason = job.failedReason.replace(/^\w+: /, '')
  if (kind === 'unconfirmed')
    return {
      ...base,
      state: 'unconfirmed',
      detail: reason,
      next: `check the ${d.platform} account, then \`${retry}\` (looks before posting) or \`ngovoices cancel ${d.threadId}\``,
    }
  if (kind === 'missed')
    return { ...base, state: 'missed', detail: reason, next: `\`${retry}\` posts it now` }
  const cause = kind === 'permanent' ? 'fix the cause, then ' : ''
  return { ...base, state: 'failed', detail: `${reason} (${progress})`, next: `${cause}\`${retry}\`` }
}

/** What holds a waiting thread, or when it posts. */
function nextForQueued(
  d: PublishJobData,
  when: string,
  now: number,
  paused: boolean,
  limitedMs: number,
): string {
  if (d.held)
    return `held: its quote cannot be read (${d.held}); fix the bank (\`ngovoices validate\`), it is tried again at ${when}`
  if (paused) return 'held: publishing is paused (`ngovoices resume`)'
  if (d.dueAt <= now && limitedMs > 0)
    return `held: ${d.platform} said "slow down"; posts in ${Math.ceil(limitedMs / 1000)} s`
  if (d.dueAt <= now) return 'due now: waiting for a worker (`ngovoices worker`)'
  if (d.mode === 'rehearsal') return `posts in ${Math.ceil((d.dueAt - now) / 1000)} s (rehearsal)`
  return `posts ${when}`
}

export function formatStatus(r: StatusReport): string[] {
  const c = r.counts
  const lines = [
    `publishing: ${r.paused ? 'PAUSED (ngovoices resume)' : 'running'}   namespace: ${r.prefix}`,
    `posted ${c.posted} · queued ${c.queued} · running ${c.running} · retrying ${c.retrying} · failed ${c.failed} · missed ${c.missed} · unconfirmed ${c.unconfirmed} · cancelled ${c.cancelled}`,
  ]
  for (const c of r.handCancelled)
    lines.push(`cancelled by hand: ${c.thread} (${c.reason}); \`ngovoices retry ${c.thread}\` undoes it`)
  if (r.threads.length === 0) {
    lines.push('no threads scheduled: `ngovoices schedule <campaign folder>` adds them')
    return lines
  }
  const zones = new Set(r.threads.map((t) => t.tz))
  lines.push('', `slot times in ${[...zones].join(', ')}`)
  const sections: [string, ThreadState[]][] = [
    ['Needs a person', ['unconfirmed', 'failed', 'missed']],
    ['Next posts', ['running', 'retrying', 'queued']],
    ['Done', ['posted', 'cancelled']],
  ]
  for (const [title, states] of sections) {
    const rows = r.threads.filter((t) => states.includes(t.state))
    if (rows.length === 0) continue
    lines.push('', `${title}:`)
    for (const t of rows) {
      lines.push(
        `  ${localTime(Date.parse(t.at), t.tz)}  ${t.platform.padEnd(7)}  ${t.state.padEnd(11)}  ${t.threadId}`,
      )
      if (t.detail) lines.push(`      ${t.detail}`)
      if (t.next !== 'nothing') lines.push(`      → ${t.next}`)
    }
  }
  return lines
}
