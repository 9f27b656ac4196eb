import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { DateTime } from 'luxon'
import type { Logger } from 'pino'
import type { Config } from '../src/config.ts'
import { formatProblem } from '../src/quotes/problem.ts'
import { DEFAULT_SPEED, localTime, rehearsalClock, weekStartOf } from './clock.ts'
import { type PlanDeps, type PublishDeps, publishDeps, planDeps as realPlanDeps } from './deps.ts'
import type { PostEvent } from './publish.ts'
import { obliterateAll, publishQueueList, type Queues } from './queues.ts'
import { openSession } from './session.ts'
import { gatherStatus, type StatusReport } from './status.ts'
import { syncPlan } from './sync.ts'
import { startWorkers } from './worker.ts'

// @NOTE `npm start`: the campaign's week replayed on a compressed clock into the outbox, in a Redis namespace
// of its own (never mixed with live jobs) that is deleted at the end. Same sync, same worker, same publish
// path as a live week: only the clock and the publisher differ.

export interface RehearsalOptions {
  config: Config
  log: Logger
  dir: string
  speed?: number
  out: (line: string) => void
  /** Tests replace parts; the defaults are the real ones. */
  planDeps?: PlanDeps
  publishDeps?: PublishDeps
  signal?: AbortSignal
}

export interface RehearsalSummary {
  outboxDir: string
  status: StatusReport
  ok: boolean
}

export async function rehearse(o: RehearsalOptions): Promise<RehearsalSummary> {
  const speed = o.speed ?? DEFAULT_SPEED
  const runId = `${DateTime.utc().toFormat('yyyyLLdd-HHmmss')}-${randomBytes(2).toString('hex')}`
  const outboxDir = join(o.config.outboxDir, `rehearsal-${runId}`)
  const pd = o.planDeps ?? realPlanDeps
  const bank = await pd.loadBank(o.dir)
  for (const p of bank.problems) o.out(`  ! ${formatProblem(p)}`)
  const plan = await pd.plan(bank)
  // The plan is fixed for the run: the rehearsal shows this week as planned now.
  const fixed: PlanDeps = { loadBank: pd.loadBank, plan: async () => plan }
  const { campaign } = bank
  const firstDay = campaign.days[0]?.date ?? plan.slots[0]?.day ?? DateTime.utc().toISODate()
  const weekStart = weekStartOf(firstDay, campaign.timezone)
  // A moment for the card renderer to warm up before the first slot comes round.
  const clock = rehearsalClock(weekStart, Date.now() + 1500, speed)
  const deps = o.publishDeps ?? publishDeps(o.config, { outboxDir })
  const session = await openSession(o.config, o.log, `${o.config.queuePrefix}-rehearsal-${runId}`)
  const { q } = session
  let workers: ReturnType<typeof startWorkers> | undefined
  try {
    const report = await syncPlan(q, fixed, { dir: o.dir, clock, cacheDir: deps.cacheDir })
    const lastDue = Math.max(...plan.slots.map((s) => clock.dueAt(s.at)), Date.now())
    o.out(
      `${campaign.name}\n  ${report.added.length} posts (${plan.slots.length} threads) over ${campaign.days.length} days, replayed at ${Math.round(speed)}× in about ${Math.ceil((lastDue - Date.now()) / 1000)} s into ${outboxDir}`,
    )
    for (const s of report.skipped) o.out(`  · ${s.threadId} not queued: ${s.reason}`)
    for (const u of plan.unplaced) o.out(`  · ${u.quoteId} not planned: ${u.reason}`)
    let cards = 0
    workers = startWorkers({
      q,
      deps,
      planDeps: fixed,
      clock,
      graceMs: o.config.graceMinutes * 60_000,
      log: o.log,
      onPosted: (e) => printPost(o.out, e),
      onCard: (r) => {
        if (r.rendered) cards++
      },
    })
    await untilDone(q, o.signal)
    const status = await gatherStatus(q)
    o.out(summary(status, cards, outboxDir).join('\n'))
    const c = status.counts
    return { outboxDir, status, ok: c.failed + c.missed + c.unconfirmed === 0 && !o.signal?.aborted }
  } finally {
    await workers?.close(true)
    await obliterateAll(q).catch((err: unknown) =>
      o.log.warn({ err: String(err) }, 'could not clean the rehearsal namespace'),
    )
    await session.close()
    if (!o.publishDeps) await deps.close()
  }
}

function printPost(out: (l: string) => void, e: PostEvent): void {
  if (e.part !== e.parts - 1) return
  const d = e.job
  const where = e.ref.url ?? e.ref.uri ?? e.ref.id
  out(
    `  ${localTime(Date.parse(d.at), d.tz)}  ${d.platform.padEnd(7)}  ${d.threadId}  ${e.parts} parts  ${where}`,
  )
}

/** Bounded by the plan itself: returns when no publish job is left waiting, delayed or running. */
async function untilDone(q: Queues, signal?: AbortSignal): Promise<void> {
  for (;;) {
    if (signal?.aborted) return
    let left = 0
    for (const queue of publishQueueList(q)) {
      const c = await queue.getJobCounts('delayed', 'waiting', 'active', 'prioritized')
      left += Object.values(c).reduce((a, b) => a + b, 0)
    }
    if (left === 0) return
    await new Promise((ok) => setTimeout(ok, 200))
  }
}

function summary(s: StatusReport, cards: number, outboxDir: string): string[] {
  const c = s.counts
  const lines = [
    '',
    `Rehearsal done: ${c.posted} posted, ${c.cancelled} cancelled, ${c.failed} failed, ${c.missed} missed, ${c.unconfirmed} unconfirmed; ${cards} cards rendered ahead of their slots`,
    `  outbox: ${outboxDir}`,
  ]
  for (const t of s.threads) {
    if (t.state === 'posted' || t.state === 'queued') continue
    lines.push(`  ${t.state}: ${t.threadId} (${t.platform}) ${t.detail}`)
  }
  return lines
}
