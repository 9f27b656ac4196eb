import type { Campaign } from '../campaign/schema.ts'
import type { Platform } from '../quotes/schema.ts'
import type { Slot } from './types.ts'

// @NOTE The slots placed so far and the rules between them (threads a day, gap on one account, one
// organisation a day). The planner asks the board before it places anything, so every rule lives here once.
// Indexed (by day, by organisation a day, and by instant) so a bank of thousands plans in well under a second.

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

export interface Limits {
  embargo?: string
  now?: string
}

export class Board {
  readonly placed: Placed[] = []
  private readonly gapMs: number
  private readonly perDay = new Map<string, number>()
  private readonly orgDays = new Set<string>()
  /** Placed slots sorted by instant, for the gap check by binary search. */
  private readonly byTime: { ms: number; p: Placed }[] = []

  constructor(private readonly campaign: Campaign) {
    // A zero gap still keeps two threads of one account from the very same instant.
    this.gapMs = Math.max(campaign.min_gap_minutes * 60_000, 1)
  }

  add(p: Placed): void {
    this.placed.push(p)
    this.perDay.set(p.slot.day, this.count(p.slot.day) + 1)
    this.orgDays.add(`${p.slot.day}\u0000${p.org}`)
    const ms = Date.parse(p.slot.at)
    this.byTime.splice(this.firstAtOrAfter(ms), 0, { ms, p })
  }

  count(day: string): number {
    return this.perDay.get(day) ?? 0
  }

  full(day: string): boolean {
    return this.count(day) >= this.campaign.max_threads_per_day
  }

  hasOrg(day: string, org: string): boolean {
    return this.orgDays.has(`${day}\u0000${org}`)
  }

  /** Threads within the minimum gap of `at` on an account they share. */
  gapClashes(at: string, platforms: Platform[]): Placed[] {
    const t = Date.parse(at)
    const out: Placed[] = []
    for (let i = this.firstAtOrAfter(t - this.gapMs + 1); i < this.byTime.length; i++) {
      const e = this.byTime[i]
      if (!e || e.ms >= t + this.gapMs) break
      if (e.p.slot.platforms.some((x) => platforms.includes(x))) out.push(e.p)
    }
    return out
  }

  /** The first rule a thread at `at` on `day` would break, or undefined when it fits. */
  clash(day: string, at: string, platforms: Platform[], limits: Limits): Clash | undefined {
    const t = Date.parse(at)
    if (limits.now && t < Date.parse(limits.now)) return { kind: 'past' }
    if (limits.embargo && t < Date.parse(limits.embargo)) return { kind: 'embargo', until: limits.embargo }
    if (this.full(day)) return { kind: 'full', day }
    const near = this.gapClashes(at, platforms)[0]
    if (near) return { kind: 'gap', with: near }
    return undefined
  }

  private firstAtOrAfter(ms: number): number {
    let lo = 0
    let hi = this.byTime.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((this.byTime[mid]?.ms ?? Number.POSITIVE_INFINITY) < ms) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
