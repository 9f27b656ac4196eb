import type { PostedRef } from '../src/platforms/publisher.ts'
import type { Platform } from '../src/quotes/schema.ts'

// @NOTE Job payloads hold ids, times and the checkpoint only: never secrets, never the quote text (the
// worker re-reads the bank at run time, because consent may have changed since the job was queued).

export type Mode = 'live' | 'rehearsal'

export interface PublishJobData {
  v: 1
  mode: Mode
  /** The campaign folder, read again at run time. */
  dir: string
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
  inFlight?: number
  /** Set on the first run: the late policy applies only to a job no worker has picked up before. */
  firstTriedAt?: number
  /** Set by `ngovoices retry`: a person asked for it, so it posts even when late. */
  lateOk?: boolean
  /** Why the last run could not read the quote (its file or entry has errors): held, tried again, not cancelled. */
  held?: string
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
  dir: string
  campaign: string
  quoteId: string
  cacheDir: string
}

export interface SweepJobData {
  dir: string
}

/** Failure reasons start with a fixed word so status can sort them without parsing prose. */
export const FAILURE_KINDS = ['missed', 'unconfirmed', 'permanent', 'changed', 'error'] as const
export type FailureKind = (typeof FAILURE_KINDS)[number]

export function failureReason(kind: FailureKind, message: string): string {
  return `${kind}: ${message}`
}

export function failureKind(reason: string | undefined): FailureKind {
  const head = reason?.split(':', 1)[0]
  return FAILURE_KINDS.find((k) => k === head) ?? 'error'
}
