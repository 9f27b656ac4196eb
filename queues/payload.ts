import type { PostedRef } from '../src/platforms/publisher.ts'
import type { Platform } from '../src/quotes/schema.ts'

// @NOTE Job payloads hold ids, times and the checkpoint only: never secrets, never the quote text (the
// worker re-reads the bank at run time, because consent may have changed since the job was queued), and never
// a path or a mode: anyone who can add a job must not choose what is read or where it is posted. The worker
// finds the campaign's folder among those it serves (campaign-folders.ts) and posts as its own clock says.

export type Mode = 'live' | 'rehearsal'

export interface PublishJobData {
  v: 1
  /** The campaign id; its folder is the worker's to know. */
  campaign: string
  /** The campaign's IANA zone, to show times to people. */
  tz: string
  threadId: string
  quoteId: string
  platform: Platform
  /** The slot: UTC instant (ISO) in campaign time. */
  at: string
  /** Session day of the slot (YYYY-MM-DD). */
  day: string
  /** When the job is due on the real clock (epoch ms): `at` live, the compressed instant in a rehearsal. */
  dueAt: number
  /** Idempotency keys, one per part, assigned before the first part is posted and never changed. */
  keys?: string[]
  /** Checkpoint: what each part became once posted; null = not posted yet. */
  posted: (PostedRef | null)[]
  /** The part being posted when the last attempt stopped: verify it with findPosted before posting again. */
  inFlight?: number | undefined
  /** Set on the first run: the late policy applies only to a job no worker has picked up before. */
  firstTriedAt?: number
  /** Set by `ngovoices retry`: a person asked for it, so it posts even when late. */
  lateOk?: boolean
  /** Why the last run could not read the quote (its file or entry has errors): held, tried again, not cancelled. */
  held?: string | undefined
  /**
   * Written by versions before jobs carried only ids (and by anyone forging a job): checked against the
   * worker's own folder and mode, and the job refused when they differ. Never written now.
   */
  dir?: string
  mode?: Mode
}

export type PublishOutcome = 'posted' | 'cancelled'

export interface PublishResult {
  outcome: PublishOutcome
  /** Why it was cancelled, or how late it went out. */
  note?: string
  lateMs?: number
  refs: PostedRef[]
}

export interface CardJobData {
  campaign: string
  quoteId: string
}

export interface SweepJobData {
  campaign: string
}

/** Failure reasons start with a fixed word so status can sort them without parsing prose. */
const FAILURE_KINDS = ['missed', 'unconfirmed', 'permanent', 'changed', 'error'] as const
export type FailureKind = (typeof FAILURE_KINDS)[number]

export function failureReason(kind: FailureKind, message: string): string {
  return `${kind}: ${message}`
}

export function failureKind(reason: string | undefined): FailureKind {
  const head = reason?.split(':', 1)[0]
  return FAILURE_KINDS.find((k) => k === head) ?? 'error'
}
