import { resolve } from 'node:path'
import { DelayedError, type Job, RateLimitError, UnrecoverableError } from 'bullmq'
import type { Logger } from 'pino'
import { InputError } from '../src/core/problem.ts'
import {
  AmbiguousError,
  PermanentError,
  provesNotPosted,
  RateLimitedError,
  RetryableError,
} from '../src/platforms/errors.ts'
import type { PostContext, PostedRef } from '../src/platforms/publisher.ts'
import { whyNotPostableAt } from '../src/quotes/postable.ts'
import type { ComposedThread } from '../src/threads/types.ts'
import type { CampaignFolders } from './campaign-folders.ts'
import { localTime } from './clock.ts'
import type { PublishDeps } from './deps.ts'
import { heldBy } from './desired.ts'
import { failureReason, type Mode, type PublishJobData, type PublishResult } from './payload.ts'
import type { PublishQueue, Queues } from './queues.ts'
import { holdQueue, holdRemaining } from './rate-hold.ts'
import { isCancelledByHand, isRehearsalNamespace, markUnconfirmed } from './records.ts'

// @NOTE The posting worker: re-reads the bank (consent may have changed), composes, then posts part by part
// with a checkpoint after each (job.updateData). The one window where a duplicate can come from — platform
// said OK, checkpoint not yet written — is marked by `inFlight` and verified with findPosted before any
// re-post. The mark goes only when the platform's answer proves the part was not posted (provesNotPosted); a
// job with no checkpoint at all (new, or its checkpoint lost with Redis's last writes) looks before its first
// part too, and goes on looking while it finds parts. What the error *type* says decides what happens next;
// nothing here parses messages.

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
}

/** How long past due counts as "late" in reports (below this it is just queue latency). */
const LATE_NOTICE_MS = 60_000

export function publishProcessor(ctx: PublishContext) {
  return async (job: PublishJob, token?: string): Promise<PublishResult> => {
    try {
      return await processPublish(ctx, job, token)
    } catch (err) {
      throw await decide(ctx, job, err)
    }
  }
}

async function processPublish(ctx: PublishContext, job: PublishJob, token?: string): Promise<PublishResult> {
  const now = ctx.now ?? Date.now
  let data = job.data
  if (data.v !== 1)
    throw new UnrecoverableError(failureReason('permanent', `unknown job payload version ${data.v}`))
  const save = async (patch: Partial<PublishJobData>) => {
    data = { ...data, ...patch }
    await job.updateData(data)
  }
  const started = data.posted.some((p) => p !== null) || data.inFlight !== undefined
  const bank = await ctx.deps.loadBank(await servedFolder(ctx, data))
  const quote = bank.quotes.find((q) => q.id === data.quoteId)
  if (!quote) {
    const unreadable = heldBy(bank)(data.quoteId)
    if (unreadable) return hold(ctx, job, token, data, save, unreadable, started)
  } else if (data.held !== undefined) await save({ held: undefined })
  // The slot's instant, not the clock: in a rehearsal the week is replayed, and a late post is still the slot's.
  const why = whyNotPostableAt(quote, Date.parse(data.at), bank.campaign.timezone)
  if (!quote || why || (await isCancelledByHand(ctx.q, data.campaign, data.threadId)))
    return cancelled(ctx, data, why ?? 'cancelled by hand (ngovoices cancel)')

  const lateMs = Math.max(0, now() - data.dueAt)
  if (!started && data.firstTriedAt === undefined && !data.lateOk && lateMs > ctx.graceMs) {
    const msg = `the slot (${localTime(Date.parse(data.at), data.tz, true)}) passed ${minutes(lateMs)} before a worker picked it up; the grace period is ${minutes(ctx.graceMs)}`
    ctx.log.warn({ job: job.id }, `missed: ${msg}; \`ngovoices retry ${data.threadId}\` posts it now`)
    throw new UnrecoverableError(failureReason('missed', msg))
  }
  if (data.firstTriedAt === undefined) await save({ firstTriedAt: now() })

  const card = await ctx.deps.card(quote, bank.campaign, ctx.deps.cacheDir)
  let thread: ComposedThread
  try {
    thread = ctx.deps.compose({
      quote,
      campaign: bank.campaign,
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
  const queue = ctx.q.publish[data.platform]
  // Creating the publisher may call the platform (a session resume): not during another worker's hold.
  await respectHold(queue)
  const publisher = await ctx.deps.publisher(data.platform, ctx.mode)
  const noCheckpoint = data.keys === undefined
  const keys = data.keys ?? publisher.assignKeys(thread, Date.parse(data.at))
  if (keys.length !== thread.parts.length) {
    throw new UnrecoverableError(
      failureReason(
        'changed',
        `the thread now has ${thread.parts.length} parts but ${keys.length} were planned when posting began; check what was posted and retry or cancel it`,
      ),
    )
  }
  const posted = thread.parts.map((_, i) => data.posted[i] ?? null)
  if (!data.keys) await save({ keys, posted })

  let verify = noCheckpoint
  for (const part of thread.parts) {
    const i = part.index
    if (posted[i]) continue
    // @NOTE Pause and hand-cancel take effect between parts too: an on-call person stopping everything
    // should not have to wait for a long thread to finish.
    if (await queue.isPaused()) {
      await job.moveToDelayed(now() + 1000, token)
      throw new DelayedError()
    }
    if (i > 0 && (await isCancelledByHand(ctx.q, data.campaign, data.threadId)))
      return cancelled(ctx, data, `cancelled by hand after ${i} of ${thread.parts.length} parts were posted`)
    // A 429 heard by another worker while this thread was under way holds this one too, between parts.
    await respectHold(queue)
    const root = posted[0] ?? undefined
    const parent = i > 0 ? (posted[i - 1] ?? undefined) : undefined
    const ctxPost: PostContext = {
      key: keys[i] ?? '',
      ...(root ? { root } : {}),
      ...(parent ? { parent } : {}),
      ...(data.firstTriedAt !== undefined ? { notBefore: data.firstTriedAt } : {}),
    }
    let ref: PostedRef | null = null
    if (verify || data.inFlight === i) ref = await publisher.findPosted(part, ctxPost)
    // A part found posted after its checkpoint was lost: the next one may have gone out too.
    verify = ref !== null
    if (!ref) {
      await save({ inFlight: i })
      ref = await publisher.postPart(part, ctxPost)
    }
    posted[i] = ref
    await save({ posted: [...posted], inFlight: undefined })
    ctx.onPosted?.({ job: data, part: i, parts: thread.parts.length, ref, lateMs })
  }
  const refs = posted.filter((p): p is PostedRef => p !== null)
  ctx.log.info(
    { job: job.id, url: refs[0]?.url, lateMs: lateMs > LATE_NOTICE_MS ? lateMs : undefined },
    lateMs > LATE_NOTICE_MS ? `posted late by ${minutes(lateMs)}` : 'posted',
  )
  return {
    outcome: 'posted',
    refs,
    ...(lateMs > LATE_NOTICE_MS ? { lateMs, note: `late by ${minutes(lateMs)}` } : {}),
  }
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
  data: PublishJobData,
  save: (patch: Partial<PublishJobData>) => Promise<void>,
  reason: string,
  started: boolean,
): Promise<never> {
  const now = ctx.now ?? Date.now
  const lateMs = now() - data.dueAt
  if (!started && !data.lateOk && lateMs > ctx.graceMs) {
    const msg = `its quote could not be read until ${minutes(lateMs)} after the slot, past the grace period of ${minutes(ctx.graceMs)}: ${reason}`
    throw new UnrecoverableError(failureReason('missed', msg))
  }
  if (data.held !== reason) {
    ctx.log.warn(
      { job: job.id },
      `held: the quote cannot be read (${reason}); fix the bank, the thread is tried again`,
    )
    await save({ held: reason })
  }
  await job.moveToDelayed(now() + (ctx.heldRetryMs ?? (ctx.mode === 'live' ? 60_000 : 1_000)), token)
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
async function decide(ctx: PublishContext, job: PublishJob, err: unknown): Promise<unknown> {
  const data = job.data
  const part = (data.inFlight ?? 0) + 1
  if (err instanceof RateLimitedError) {
    const ms = Math.max(1000, err.until.getTime() - Date.now())
    ctx.log.warn(
      { job: job.id, until: err.until.toISOString() },
      `rate limited: holding ${data.platform} for ${Math.ceil(ms / 1000)} s`,
    )
    await clearInFlightIfRefused(job, err)
    await holdQueue(ctx.q.publish[data.platform], ms)
    return new RateLimitError()
  }
  if (err instanceof RetryableError) {
    await clearInFlightIfRefused(job, err)
    return err
  }
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

/**
 * The in-flight mark goes only when the post request's own answer proves nothing was posted (a 429 or a refused
 * connection to the post call). A failed session refresh, lookup or upload says nothing about the earlier try
 * that set the mark: the next attempt must look first.
 */
async function clearInFlightIfRefused(job: PublishJob, err: unknown): Promise<void> {
  if (job.data.inFlight !== undefined && provesNotPosted(err))
    await job.updateData({ ...job.data, inFlight: undefined })
}

/** Gives the job back to the queue, no attempt spent, while a platform's rate-limit hold lasts. */
async function respectHold(queue: PublishQueue): Promise<void> {
  if ((await holdRemaining(queue)) > 0) throw new RateLimitError()
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000)
  if (m < 120) return `${m} min`
  return m < 48 * 60 ? `${Math.round(m / 60)} h` : `${Math.round(m / 1440)} days`
}
