import type { Campaign } from '../campaign/schema.ts'
import type { Platform } from '../quotes/schema.ts'
import type { Slot } from './types.ts'

// @NOTE The slots placed so far and the rules between them (threads a day, gap on one account, one
// organisation a day). The planner asks the board before it places anything, so every rule lives here once.

export interface Placed {
  slot: Slot
  org: string
  priority: number
  /** Bank order, the last tie-breaker so the same input gives the same plan. */
  order: number
  /** Posted, locked or pinned: never displaced by the planner. */
  hard: boolean
}

export type Clash =
  | { kind: 'full'; day: string }
  | { kind: 'gap'; with: Placed }
  | { kind: 'embargo'; until: string }
  | { kind: 'past' }

const MINUTE = 60_000

export class Board {
  readonly placed: Placed[] = []
  private readonly gapMs: number

  constructor(private readonly campaign: Campaign) {
    this.gapMs = campaign.min_gap_minutes * MINUTE
  }

  add(p: Placed): void {
    this.placed.push(p)
  }

  remove(threadId: string): void {
    const i = this.placed.findIndex((p) => p.slot.threadId === threadId)
    if (i >= 0) this.placed.splice(i, 1)
  }

  on(day: string): Placed[] {
    return this.placed.filter((p) => p.slot.day === day)
  }

  hasOrg(day: string, org: string): boolean {
    return this.placed.some((p) => p.slot.day === day && p.org === org)
  }

  /** Threads within the minimum gap of `at` on an account they share. */
  gapClashes(at: string, platforms: Platform[]): Placed[] {
    const t = Date.parse(at)
    return this.placed.filter(
      (p) =>
        Math.abs(Date.parse(p.slot.at) - t) < Math.max(this.gapMs, 1) &&
        p.slot.platforms.some((x) => platforms.includes(x)),
    )
  }

  /** The first rule a thread at `at` on `day` would break, or undefined when it fits. */
  clash(
    day: string,
    at: string,
    platforms: Platform[],
    limits: { embargo?: string; now?: string },
  ): Clash | undefined {
    const t = Date.parse(at)
    if (limits.now && t < Date.parse(limits.now)) return { kind: 'past' }
    if (limits.embargo && t < Date.parse(limits.embargo)) return { kind: 'embargo', until: limits.embargo }
    if (this.on(day).length >= this.campaign.max_threads_per_day) return { kind: 'full', day }
    const near = this.gapClashes(at, platforms)[0]
    if (near) return { kind: 'gap', with: near }
    return undefined
  }
}
