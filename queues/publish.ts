import { resolve } from 'node:path'
import { DelayedError, type Job, RateLimitError, UnrecoverableError } from 'bullmq'
import type { Logger } from 'pino'
import type { Campaign } from '../src/campaign/schema.ts'
import { InputError } from '../src/core/problem.ts'
import { AmbiguousError, PermanentError, RateLimitedError, RetryableError } from '../src/platforms/errors.ts'
import type { PostedRef } from '../src/platforms/publisher.ts'
import { lastBankChange } from '../src/quotes/bank-cache.ts'
import { whyNotPostableAt } from '../src/quotes/postable.ts'
import type { Quote } from '../src/quotes/schema.ts'
import type { ComposedThread } from '../src/threads/types.ts'
import type { CampaignFolders } from './campaign-folders.ts'
import { localTime } from './clock.ts'
import type { PublishDeps } from './deps.ts'
import { heldBy } from './desired.ts'
import { failureReason, type Mode, type PublishJobData, type PublishResult } from './payload.ts'
import { type CheckpointStore, publishThread, ThreadChangedError } from './publish-thread.ts'
import type { Queues } from './queues.ts'
import { holdRemaining, holdUntil } from './rate-hold.ts'
import { isCancelledByHand, isRehearsalNamespace, markUnconfirmed } from './records.ts'
import { sentTogether } from './sent-together.ts'

// @NOTE The posting worker: re-reads the bank (consent may have changed), applies the late policy, composes,
// then posts through the one posting loop (publish-thread.ts) with the job's data as its checkpoint
// (job.updateData). Pause, hand-cancel and rate-limit holds act between parts. What the error *type* says
// decides what BullMQ does next; nothing here parses messages.

type PublishJob = Job<PublishJobData, PublishResult>

export interface PostEvent {
  job: PublishJobData
  part: number
  parts: number
  ref: PostedRef
  lateMs: number
}

export interface PublishContext {
  q: Queues
  deps: PublishDeps
  /** Where each campaign this worker serves lives: never taken from the job. */
  folders: CampaignFolders
  /** The worker's own mode (its clock): live posts to the configured accounts, a rehearsal to the outbox. */
  mode: Mode
  /** Late policy: a job first picked up later than this after its due time is missed, not posted. */
  graceMs: number
  log: Logger
  now?: () => number
  onPosted?: (e: PostEvent) => void
  /** How soon a held thread (its quote cannot be read) is tried again; 1 min live, 1 s in a rehearsal. */
  heldRetryMs?: number
  /** How long after a bank file changed a quote missing from it is read again rather than cancelled. */
  settleMs?: number
}

/**
 * A file saved in place (truncated, then written) is empty or cut short for a moment. A quote missing from a bank
 * read in that moment would cancel its thread, which cannot be undone: seen once in a test that saved the fix
 * while the worker read. A second is far longer than any save takes.
 */
const SETTLE_MS = 1_000

/** The platform's queue is paused (`ngovoices pause`) between two parts of a thread. */
class QueuePausedError extends Error {
  override name = 'QueuePausedError'
}

/** How long past due counts as "late" in reports (below this it is just queue latency). */
const LATE_NOTICE_MS = 60_000

export function publishProcessor(ctx: PublishContext) {
  return async (job: PublishJob, token?: string): Promise<PublishResult> => {
    try {
      return await processPublish(ctx, job, token)
    } catch (err) {
      throw await decide(ctx, job, token, err)
    }
  }
}

/** The job's data, saved back to the job after each change: the checkpoint of the worker's threads. */
interface JobStore extends CheckpointStore {
  readonly data: PublishJobData
  save(patch: Partial<PublishJobData>): Promise<void>
}

function jobStore(job: PublishJob): JobStore {
  let data = job.data
  return {
    get data() {
      return data
    },
    get current() {
      return data
    },
    async save(patch) {
      data = { ...data, ...patch }
      await job.updateData(data)
    },
  }
}

async function processPublish(ctx: PublishContext, job: PublishJob, token?: string): Promise<PublishResult> {
  const store = jobStore(job)
  if (store.data.v !== 1)
    throw new UnrecoverableError(failureReason('permanent', `unknown job payload version ${store.data.v}`))
  const read = await postableQuote(ctx, job, token, store)
  if ('outcome' in read) return read
  const lateMs = await startOrMiss(ctx, job, store)
  const thread = await composeFor(ctx, read, store.data)
  const data = store.data
  const queue = ctx.q.publish[data.platform]
  // Creating the publisher may call the platform (a session resume): not during another worker's hold.
  respectHold(await holdRemaining(queue))
  const publisher = await ctx.deps.publisher(data.platform, ctx.mode)
  const parts = thread.parts.length
  const out = await publishThread({
    thread,
    publisher,
    checkpoint: store,
    slotAt: Date.parse(data.at),
    beforePart: (i) => betweenParts(ctx, job, i, parts),
    together: (issue) => sentTogether(ctx.q.redis, issue),
    onPart: (part, ref, earlier) => {
      if (!earlier) ctx.onPosted?.({ job: store.data, part, parts, ref, lateMs })
    },
  })
  if (out.stopped !== undefined) return cancelled(ctx, store.data, out.stopped)
  return postedResult(ctx, job, out.refs, lateMs)
}

/**
 * The job's quote, read again from the bank, if it may still be posted at the slot; else the thread is
 * cancelled (a result) or held until its file can be read again (a throw).
 */
async function postableQuote(
  ctx: PublishContext,
  job: PublishJob,
  token: string | undefined,
  store: JobStore,
): Promise<{ quote: Quote; campaign: Campaign } | PublishResult> {
  const data = store.data
  const bank = await ctx.deps.loadBank(await servedFolder(ctx, data))
  const quote = bank.quotes.find((q) => q.id === data.quoteId)
  if (!quote) {
    const unreadable = heldBy(bank)(data.quoteId)
    if (unreadable) return hold(ctx, job, token, store, unreadable)
    const settling = (ctx.settleMs ?? SETTLE_MS) - (Date.now() - (await lastBankChange(bank.dir)))
    if (settling > 0) {
      const retryMs = Math.min(settling, ctx.heldRetryMs ?? settling)
      return hold(
        ctx,
        job,
        token,
        store,
        'the quotes changed just now: read again before cancelling',
        retryMs,
      )
    }
  } else if (data.held !== undefined) await store.save({ held: undefined })
  // The slot's instant, not the clock: in a rehearsal the week is replayed, and a late post is still the slot's.
  const why = whyNotPostableAt(quote, Date.parse(data.at), bank.campaign.timezone)
  if (!quote || why || (await isCancelledByHand(ctx.q, data.campaign, data.threadId)))
    return cancelled(ctx, store.data, why ?? 'cancelled by hand (ngovoices cancel)')
  return { quote, campaign: bank.campaign }
}

function hasBegun(data: PublishJobData): boolean {
  return data.posted.some((p) => p !== null) || data.inFlight !== undefined
}

/** The late policy, for a job no worker has picked up before; returns how late the job runs. */
async function startOrMiss(ctx: PublishContext, job: PublishJob, store: JobStore): Promise<number> {
  const now = ctx.now ?? Date.now
  const data = store.data
  const lateMs = Math.max(0, now() - data.dueAt)
  if (!hasBegun(data) && data.firstTriedAt === undefined && !data.lateOk && lateMs > ctx.graceMs) {
    const msg = `the slot (${localTime(Date.parse(data.at), data.tz, true)}) passed ${minutes(lateMs)} before a worker picked it up; the grace period is ${minutes(ctx.graceMs)}`
    ctx.log.warn({ job: job.id }, `missed: ${msg}; \`ngovoices retry ${data.threadId}\` posts it now`)
    throw new UnrecoverableError(failureReason('missed', msg))
  }
  if (data.firstTriedAt === undefined) await store.save({ firstTriedAt: now() })
  return lateMs
}

async function composeFor(
  ctx: PublishContext,
  { quote, campaign }: { quote: Quote; campaign: Campaign },
  data: PublishJobData,
): Promise<ComposedThread> {
  const card = await ctx.deps.card(quote, campaign, ctx.deps.cacheDir)
  try {
    return ctx.deps.compose({
      quote,
      campaign,
      platform: data.platform,
      day: data.day,
      threadId: data.threadId,
      card,
    })
  } catch (err) {
    // A quote that cannot be composed (too long for a part, say) fails alone, with the composer's reason.
    if (err instanceof InputError) throw new PermanentError(err.message, { cause: err })
    throw err
  }
}

/**
 * @NOTE Pause and hand-cancel take effect between parts too: an on-call person stopping everything should not
 * have to wait for a long thread to finish. A 429 heard by another worker while this thread was under way holds
 * this one too.
 */
async function betweenParts(
  ctx: PublishContext,
  job: PublishJob,
  i: number,
  parts: number,
): Promise<string | undefined> {
  const data = job.data
  const queue = ctx.q.publish[data.platform]
  // Three reads sent together (one round trip, not three), then acted on in the same order as ever.
  const [paused, byHand, held] = await Promise.all([
    queue.isPaused(),
    i > 0 && isCancelledByHand(ctx.q, data.campaign, data.threadId),
    holdRemaining(queue),
  ])
  // Given back by decide(), once the posting loop has taken back the part's in-flight mark.
  if (paused) throw new QueuePausedError(`${data.platform} is paused`)
  if (byHand) return `cancelled by hand after ${i} of ${parts} parts were posted`
  respectHold(held)
  return undefined
}

function postedResult(
  ctx: PublishContext,
  job: PublishJob,
  refs: PostedRef[],
  lateMs: number,
): PublishResult {
  const late = lateMs > LATE_NOTICE_MS
  ctx.log.info(
    { job: job.id, url: refs[0]?.url, lateMs: late ? lateMs : undefined },
    late ? `posted late by ${minutes(lateMs)}` : 'posted',
  )
  return { outcome: 'posted', refs, ...(late ? { lateMs, note: `late by ${minutes(lateMs)}` } : {}) }
}

/**
 * The campaign folder this job's thread is read from: the worker's own, never the job's. A job that names
 * another folder, asks for another mode, or reaches a live worker in a rehearsal namespace posts nothing.
 */
async function servedFolder(ctx: PublishContext, data: PublishJobData): Promise<string> {
  const refuse = (why: string): never => {
    throw new UnrecoverableError(
      failureReason(
        'permanent',
        `refused, nothing posted: ${why} (not a job that ngovoices schedule queued here)`,
      ),
    )
  }
  if (data.mode !== undefined && data.mode !== ctx.mode)
    refuse(`the job asks for ${data.mode} posting, and this worker's mode is ${ctx.mode}`)
  if (ctx.mode === 'live' && (await isRehearsalNamespace(ctx.q)))
    refuse(`${ctx.q.prefix} is a rehearsal namespace, which never posts to a platform`)
  const folder = await ctx.folders.folderOf(data.campaign)
  if (!folder.ok) return refuse(folder.reason)
  if (data.dir !== undefined && resolve(data.dir) !== folder.dir)
    refuse(`the job names the folder ${data.dir}, which is not where campaign ${data.campaign} lives`)
  return folder.dir
}

/**
 * The quote cannot be read (its file or entry has errors): wait for the fix instead of cancelling. A thread not
 * yet begun gives up as missed once its slot is past the grace period, like any late post; one already begun
 * waits for the fix, so its posted parts get the rest of the thread.
 */
async function hold(
  ctx: PublishContext,
  job: PublishJob,
  token: string | undefined,
  store: JobStore,
  reason: string,
  retryMs = ctx.heldRetryMs ?? (ctx.mode === 'live' ? 60_000 : 1_000),
): Promise<never> {
  const now = ctx.now ?? Date.now
  const data = store.data
  const lateMs = now() - data.dueAt
  if (!hasBegun(data) && !data.lateOk && lateMs > ctx.graceMs) {
    const msg = `its quote could not be read until ${minutes(lateMs)} after the slot, past the grace period of ${minutes(ctx.graceMs)}: ${reason}`
    throw new UnrecoverableError(failureReason('missed', msg))
  }
  if (data.held !== reason) {
    ctx.log.warn(
      { job: job.id },
      `held: the quote cannot be read (${reason}); fix the bank, the thread is tried again`,
    )
    await store.save({ held: reason })
  }
  await job.moveToDelayed(now() + retryMs, token)
  throw new DelayedError()
}

function cancelled(ctx: PublishContext, data: PublishJobData, reason: string): PublishResult {
  const refs = data.posted.filter((p): p is PostedRef => p !== null)
  const note =
    refs.length > 0
      ? `${reason}; ${refs.length} part(s) were already posted and stay up: remove them by hand if needed`
      : reason
  ctx.log.warn({ thread: data.threadId, platform: data.platform }, `cancelled: ${note}`)
  return { outcome: 'cancelled', note, refs }
}

/** Maps a publisher's error to what BullMQ should do with the job. */
async function decide(
  ctx: PublishContext,
  job: PublishJob,
  token: string | undefined,
  err: unknown,
): Promise<unknown> {
  const data = job.data
  const part = (data.inFlight ?? 0) + 1
  if (err instanceof QueuePausedError) {
    // Looked at again in a second, no attempt spent; pause stops new posts within a second.
    await job.moveToDelayed((ctx.now ?? Date.now)() + 1000, token)
    return new DelayedError()
  }
  if (err instanceof RateLimitedError) {
    const ms = await holdUntil(ctx.q.publish[data.platform], err.until)
    ctx.log.warn(
      { job: job.id, until: err.until.toISOString() },
      `rate limited: holding ${data.platform} for ${Math.ceil(ms / 1000)} s`,
    )
    return new RateLimitError()
  }
  if (err instanceof ThreadChangedError)
    return new UnrecoverableError(
      failureReason('changed', `${err.message}; check what was posted and retry or cancel it`),
    )
  if (err instanceof RetryableError) return err
  if (err instanceof PermanentError) {
    ctx.log.error({ job: job.id }, `failed for good: ${err.message}`)
    return new UnrecoverableError(failureReason('permanent', `part ${part}: ${err.message}`))
  }
  if (err instanceof AmbiguousError) {
    const reason = `part ${part} may or may not have been posted (${err.message})`
    await markUnconfirmed(ctx.q, {
      jobId: job.id ?? '',
      threadId: data.threadId,
      platform: data.platform,
      part,
      reason,
      at: Date.now(),
    })
    ctx.log.error(
      { job: job.id },
      `unconfirmed: ${reason}; check the ${data.platform} account, then \`ngovoices retry ${data.threadId}\` (it looks before posting) or \`ngovoices cancel ${data.threadId}\``,
    )
    return new UnrecoverableError(failureReason('unconfirmed', reason))
  }
  return err
}

/** Gives the job back to the queue, no attempt spent, while a platform's rate-limit hold lasts (`heldMs` > 0). */
function respectHold(heldMs: number): void {
  if (heldMs > 0) throw new RateLimitError()
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000)
  if (m < 120) return `${m} min`
  return m < 48 * 60 ? `${Math.round(m / 60)} h` : `${Math.round(m / 1440)} days`
}
