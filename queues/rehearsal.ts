import { randomBytes } from 'node:crypto'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Queue } from 'bullmq'
import { DateTime } from 'luxon'
import type { Logger } from 'pino'
import type { Plan } from '../src/calendar/types.ts'
import type { Config } from '../src/config.ts'
import { formatProblem } from '../src/core/problem.ts'
import type { LoadedBank } from '../src/quotes/load.ts'
import { whyNotPostable } from '../src/quotes/postable.ts'
import { campaignFolders } from './campaign-folders.ts'
import { type Clock, DEFAULT_SPEED, localTime, rehearsalClock, weekStartOf } from './clock.ts'
import { type PlanDeps, type PublishDeps, publishDeps, planDeps as realPlanDeps } from './deps.ts'
import { cardJobId } from './names.ts'
import type { PostEvent } from './publish.ts'
import { obliterateAll, publishQueueList, type Queues } from './queues.ts'
import { markRehearsalNamespace } from './records.ts'
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
  o.out(bank.campaign.name)
  // Warnings (pending consent, incomplete quotes) show below as "not planned"; errors left a quote out.
  for (const p of bank.problems) if (p.severity === 'error') o.out(`  ! ${formatProblem(p)}`)
  const plan = await pd.plan(bank)
  // The plan is fixed for the run: the rehearsal shows this week as planned now.
  const fixed: PlanDeps = { loadBank: pd.loadBank, plan: async () => plan }
  const { campaign } = bank
  const firstDay = campaign.days[0]?.date ?? plan.slots[0]?.day ?? DateTime.utc().toISODate()
  const weekStart = weekStartOf(firstDay, campaign.timezone)
  const deps = o.publishDeps ?? publishDeps(o.config, { outboxDir })
  const session = await openSession(o.config, o.log, `${o.config.queuePrefix}-rehearsal-${runId}`)
  const { q } = session
  // Marked first: a live worker that is pointed at this namespace by mistake posts nothing of it.
  await markRehearsalNamespace(q)
  let workers: ReturnType<typeof startWorkers> | undefined
  try {
    // The clock starts once the cards are rendered; until then nothing is scheduled that would read it.
    let clock: Clock | undefined
    const running: Clock = {
      mode: 'rehearsal',
      dueAt: (at) => (clock ?? rehearsalClock(weekStart, Date.now(), speed)).dueAt(at),
      campaignTime: (ms) => (clock ?? rehearsalClock(weekStart, Date.now(), speed)).campaignTime(ms),
    }
    const cards = { rendered: 0, cached: 0 }
    workers = startWorkers({
      q,
      folders: campaignFolders(q, [o.dir]),
      deps,
      planDeps: fixed,
      clock: running,
      graceMs: o.config.graceMinutes * 60_000,
      log: o.log,
      onPosted: (e) => printPost(o.out, e),
      onCard: (r) => {
        if (r.rendered) cards.rendered++
        if (r.cached) cards.cached++
      },
    })
    const t0 = Date.now()
    const queued = await renderAhead(q, bank, plan)
    await untilIdle(q.cards, o.signal)
    const failed = await q.cards.getJobCountByTypes('failed')
    o.out(
      `  rendered ${cards.rendered} of ${queued} cards (${cards.cached} unchanged, from the cache) in ${((Date.now() - t0) / 1000).toFixed(1)} s${failed ? `; ${failed} failed (see the log)` : ''}`,
    )
    clock = rehearsalClock(weekStart, Date.now() + 500, speed)
    const report = await syncPlan(q, fixed, { dir: o.dir, clock, cacheDir: deps.cacheDir })
    const lastDue = Math.max(...plan.slots.map((s) => clock?.dueAt(s.at) ?? 0), Date.now())
    o.out(
      `  ${report.added.length} posts (${plan.slots.length} threads) over ${campaign.days.length} days, replayed at ${Math.round(speed)}× in about ${Math.ceil((lastDue - Date.now()) / 1000)} s into ${outboxDir}`,
    )
    for (const s of report.skipped) o.out(`  · ${s.threadId} not queued: ${s.reason}`)
    for (const u of plan.unplaced) o.out(`  · ${u.quoteId} not planned: ${u.reason}`)
    for (const queue of publishQueueList(q)) await untilIdle(queue, o.signal)
    const status = await gatherStatus(q)
    o.out(summary(status, outboxDir).join('\n'))
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
  const url = e.ref.url ?? e.ref.uri ?? e.ref.id
  // The outbox links to files: shown relative to here, they stay short and clickable in most terminals.
  const where = url.startsWith('file:') ? relative(process.cwd(), fileURLToPath(url)) : url
  out(
    `  ${localTime(Date.parse(d.at), d.tz)}  ${d.platform.padEnd(7)}  ${d.threadId}  ${e.parts} ${e.parts === 1 ? 'part ' : 'parts'}  ${where}`,
  )
}

/** Card jobs for every thread of the plan, due now: the sample cards render before the week starts. */
async function renderAhead(q: Queues, bank: LoadedBank, plan: Plan): Promise<number> {
  const postable = new Set(bank.quotes.filter((x) => !whyNotPostable(x)).map((x) => x.id))
  const slots = plan.slots.filter((s) => s.status === 'planned' && postable.has(s.quoteId))
  await q.cards.addBulk(
    slots.map((s) => ({
      name: 'render',
      data: { campaign: bank.campaign.id, quoteId: s.quoteId },
      opts: { jobId: cardJobId(bank.campaign.id, s.threadId), attempts: 2, removeOnComplete: true },
    })),
  )
  return slots.length
}

/** Bounded by the plan itself: returns when the queue has nothing left waiting, delayed or running. */
async function untilIdle(queue: Queue, signal?: AbortSignal): Promise<void> {
  for (;;) {
    if (signal?.aborted) return
    const c = await queue.getJobCounts('delayed', 'waiting', 'active', 'prioritized')
    if (Object.values(c).reduce((a, b) => a + b, 0) === 0) return
    await new Promise((ok) => setTimeout(ok, 200))
  }
}

function summary(s: StatusReport, outboxDir: string): string[] {
  const c = s.counts
  const lines = [
    '',
    `Rehearsal done: ${c.posted} posted, ${c.cancelled} cancelled, ${c.failed} failed, ${c.missed} missed, ${c.unconfirmed} unconfirmed`,
    `  outbox: ${outboxDir}`,
  ]
  for (const t of s.threads) {
    if (t.state === 'posted' || t.state === 'queued') continue
    lines.push(`  ${t.state}: ${t.threadId} (${t.platform}) ${t.detail}`)
  }
  return lines
}
