import type { Problem } from '../core/problem.ts'
import type { Platform } from '../quotes/schema.ts'

// @NOTE `at` is always a UTC instant (ISO 8601 with Z). Local times exist only when shown to a person.
export type SlotStatus = 'planned' | 'posted' | 'cancelled'

export interface Slot {
  /** Stable across re-plans: `<campaign>-<quote id>` (one thread per quote). */
  threadId: string
  quoteId: string
  /** UTC instant, ISO 8601 with Z. */
  at: string
  /** Session day in the campaign's zone, YYYY-MM-DD. */
  day: string
  platforms: Platform[]
  locked: boolean
  status: SlotStatus
}

export interface Unplaced {
  quoteId: string
  reason: string
}

export interface Plan {
  campaign: string
  timezone: string
  slots: Slot[]
  unplaced: Unplaced[]
  /** Things staff should look at that do not stop the plan (e.g. X free-tier limits, a locked slot that will not post). */
  warnings?: string[]
  /** What reading plan.yaml found worth a look without refusing it (a time that happens twice), with its line. */
  fileWarnings?: Problem[]
}
