import { UnrecoverableError, Worker } from 'bullmq'
import type { Logger } from 'pino'
import { PLATFORMS, type Platform } from '../src/quotes/schema.ts'
import type { CampaignFolders } from './campaign-folders.ts'
import { type CardJobResult, processCardJob } from './card-job.ts'
import { type Clock, liveClock } from './clock.ts'
import { keepParsedBanks, type PlanDeps, type PublishDeps } from './deps.ts'
import { DueWakeWorker } from './due-wake.ts'
import { CARDS_QUEUE, PUBLISH_QUEUES, SWEEP_QUEUE, sweepSchedulerId } from './names.ts'
import {
  type CardJobData,
  failureReason,
  type PublishJobData,
  type PublishResult,
  type SweepJobData,
} from './payload.ts'
import { type PostEvent, publishProcessor } from './publish.ts'
import type { Queues } from './queues.ts'
import { PUBLISH_LIMITER } from './rate-hold.ts'
import { formatSyncReport, type SyncReport, syncPlan } from './sync.ts'

// @NOTE Everything a worker process runs. No state that matters lives in the process: jobs, checkpoints,
// pause and rate limits are all in Redis, so any number of these on any number of machines share the work.

export interface WorkerOptions {
  q: Queues
  /** The campaigns this worker serves: a job names a campaign, the folder comes from here. */
  folders: CampaignFolders
  deps: PublishDeps
  planDeps: PlanDeps
  clock: Clock
  graceMs: number
  log: Logger
  platforms?: Platform[]
  /** Render cards in this process too (default true). */
  cards?: boolean
  onPosted?: (e: PostEvent) => void
  onSynced?: (r: SyncReport) => void
  onCard?: (r: CardJobResult) => void
  /** Lock, stall and hold timings; tests shorten them so a killed worker's job is taken over quickly. */
  timings?: { lockDuration?: number; stalledInterval?: number; heldRetryMs?: number; settleMs?: number }
}

export interface RunningWorkers {
  publish: Worker<PublishJobData, PublishResult>[]
  /** Stops taking jobs; `force` abandons running ones (they are re-run elsewhere from their checkpoint). */
  close(force?: boolean): Promise<void>
}

export function startWorkers(o: WorkerOptions): RunningWorkers {
  const { q, log } = o
  const connection = q.connection
  const prefix = q.prefix
  const processor = publishProcessor({
    q,
    deps: o.deps,
    folders: o.folders,
    // Live or rehearsal is the worker's own clock: a job cannot ask for the real accounts.
    mode: o.clock.mode,
    graceMs: o.graceMs,
    log,
    ...(o.onPosted ? { onPosted: o.onPosted } : {}),
    ...(o.timings?.heldRetryMs !== undefined ? { heldRetryMs: o.timings.heldRetryMs } : {}),
    ...(o.timings?.settleMs !== undefined ? { settleMs: o.timings.settleMs } : {}),
  })
  const publish = (o.platforms ?? [...PLATFORMS]).map(
    (p) =>
      // Taken at the slot's instant, not when Redis next looks at its blocked clients (due-wake.ts).
      new DueWakeWorker<PublishJobData, PublishResult>(q.redis, PUBLISH_QUEUES[p], processor, {
        connection,
        prefix,
        // One thread at a time per platform and process keeps each account's posts in slot order.
        concurrency: 1,
        // A posting job takes seconds; a stalled one (its worker died) is re-run from its checkpoint.
        lockDuration: o.timings?.lockDuration ?? 30_000,
        stalledInterval: o.timings?.stalledInterval ?? 30_000,
        maxStalledCount: 5,
        // Makes a platform's rate-limit hold (queue.rateLimit) count in this process too (see rate-hold.ts).
        limiter: PUBLISH_LIMITER,
      }),
  )
  const others: Worker[] = []
  if (o.cards !== false) {
    // The drawing happens in the process's card pool, so this loop only waits; one job at a time per process
    // matches the pool's one thread.
    const cards = new Worker<CardJobData, CardJobResult>(
      CARDS_QUEUE,
      (job) => processCardJob(o.deps, o.folders, job.data),
      { connection, prefix, concurrency: 1 },
    )
    cards.on('completed', (_job, r) => o.onCard?.(r))
    others.push(cards)
  }
  others.push(
    new Worker<SweepJobData, SyncReport>(
      SWEEP_QUEUE,
      async (job) => {
        const folder = await o.folders.folderOf(job.data.campaign)
        if (!folder.ok) throw new UnrecoverableError(failureReason('permanent', folder.reason))
        const report = await syncPlan(q, o.planDeps, {
          dir: folder.dir,
          clock: o.clock,
          cacheDir: o.deps.cacheDir,
        })
        const changed = report.added.length + report.moved.length + report.removed.length
        if (changed > 0)
          log.info({ lines: formatSyncReport(report) }, `reconcile: ${formatSyncReport(report)[0]}`)
        o.onSynced?.(report)
        return report
      },
      { connection, prefix, concurrency: 1 },
    ),
  )
  for (const w of [...publish, ...others]) {
    // @NOTE One bad job never stops the worker: failures are logged and recorded on the job, nothing rethrows.
    w.on('failed', (job, err) => log.warn({ queue: w.name, job: job?.id, reason: err.message }, 'job failed'))
    w.on('error', (err) => log.error({ queue: w.name, err: err.message }, 'worker error'))
  }
  return {
    publish,
    async close(force = false) {
      await Promise.all([...publish, ...others].map((w) => w.close(force)))
    },
  }
}

/** The reconcile sweep: one run every few minutes across all workers (a BullMQ job scheduler, not a timer). */
export async function scheduleSweep(q: Queues, campaign: string, tz: string, pattern = '*/5 * * * *') {
  await q.sweep.upsertJobScheduler(
    sweepSchedulerId(campaign),
    { pattern, tz },
    { name: 'reconcile', data: { campaign }, opts: { removeOnComplete: 20, removeOnFail: 50 } },
  )
}

/** What `schedule` and `start --live` both do: sync the plan at real times, then keep it in sync by the sweep. */
export async function syncLive(
  q: Queues,
  deps: PlanDeps,
  dir: string,
  cacheDir: string,
): Promise<SyncReport> {
  keepParsedBanks(cacheDir)
  const report = await syncPlan(q, deps, { dir, clock: liveClock, cacheDir })
  await scheduleSweep(q, report.campaign, report.timezone)
  return report
}
