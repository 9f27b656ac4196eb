import type { Slot } from '../calendar/types.ts'
import type { Platform } from '../quotes/schema.ts'

// @NOTE The plan only knows planned / posted / cancelled; the queue knows the rest. Without Redis the page
// still tells "missed" (past its grace time, never posted) from "planned", from the clock alone.

export const DISPLAY_STATUSES = [
  'planned',
  'queued',
  'posted',
  'failed',
  'unconfirmed',
  'missed',
  'cancelled',
] as const
export type DisplayStatus = (typeof DISPLAY_STATUSES)[number]

export interface PostState {
  status: DisplayStatus
  /** A link a person can open, once posted. */
  url?: string
  /** Why it failed, or what to check (unconfirmed). */
  detail?: string
}

/** Keyed by `threadId:platform`. Produced by the queue reader when Redis is reachable. */
export type QueueStates = Map<string, PostState>

export function stateKey(threadId: string, platform: Platform): string {
  return `${threadId}:${platform}`
}

export function postState(
  slot: Slot,
  platform: Platform,
  queue: QueueStates | undefined,
  now: Date,
  graceMinutes: number,
): PostState {
  const fromQueue = queue?.get(stateKey(slot.threadId, platform))
  if (fromQueue) return fromQueue
  if (slot.status === 'posted') return { status: 'posted' }
  if (slot.status === 'cancelled') return { status: 'cancelled' }
  const late = now.getTime() - Date.parse(slot.at) > graceMinutes * 60_000
  return late
    ? { status: 'missed', detail: 'its time has passed and nothing was posted' }
    : { status: 'planned' }
}
