import { type Campaign, campaignPlatforms } from '../campaign/schema.ts'
import { localClock, localDay, localToUtc, type Pin, parsePin } from '../core/time.ts'
import type { Platform } from '../quotes/schema.ts'
import type { Board, Clash, Limits } from './board.ts'
import { orgKey } from './eligibility.ts'
import { dayGrid, type GridTime } from './grid.ts'
import type { Entry, Refused } from './placeable.ts'
import type { Slot } from './types.ts'

// @NOTE Steps 3 to 5 of the planner (planner.ts): pins, then the earlier unlocked slots, then everything else
// in the best free time of the best day. The board decides what clashes; the placer decides where to try, and
// says in words staff can act on why a quote found no place.

export interface PlacerSetup {
  campaign: Campaign
  board: Board
  /** The session days, in order. */
  days: string[]
  /** Slots before this instant are history: nothing new is placed before it. */
  now: string | undefined
  /** Quotes already placed or given up on; the placer adds each quote it settles. */
  settled: Set<string>
  /** The plan file's unlocked slots by quote: they stay where they are while they break no rule. */
  earlier: Map<string, Slot>
  /** Threads a day that would spread the quotes evenly over the session. */
  softCap: number
  threadIdOf: (quoteId: string) => string
}

export class Placer {
  private readonly campaign: Campaign
  private readonly zone: string
  private readonly board: Board
  private readonly platforms: Platform[]
  private readonly sessionDays: Set<string>
  private readonly grids = new Map<string, GridTime[]>()

  constructor(private readonly setup: PlacerSetup) {
    this.campaign = setup.campaign
    this.zone = setup.campaign.timezone
    this.board = setup.board
    this.platforms = campaignPlatforms(setup.campaign)
    this.sessionDays = new Set(setup.days)
  }

  /** Step 3: pinned quotes, placed before the earlier unlocked slots, which give way to them if they must. */
  placePins(entries: Entry[]): Refused[] {
    const refused: Refused[] = []
    for (const e of entries) {
      if (e.quote.pin === undefined) continue
      const reason = this.placePinned(e)
      if (reason) {
        refused.push({ quoteId: e.quote.id, reason, order: e.order })
        this.setup.settled.add(e.quote.id)
      }
    }
    return refused
  }

  /** Step 4: earlier unlocked slots stay while they break no rule (chronological, so a later one moves). */
  keepEarlier(entries: Entry[]): void {
    const entryOf = new Map(entries.map((e) => [e.quote.id, e]))
    const kept = [...this.setup.earlier.values()].sort(
      (a, b) => a.at.localeCompare(b.at) || a.threadId.localeCompare(b.threadId),
    )
    for (const slot of kept) {
      const e = entryOf.get(slot.quoteId)
      if (!e || this.setup.settled.has(slot.quoteId) || !this.sessionDays.has(slot.day)) continue
      const own = slot.platforms.filter((p) => this.platforms.includes(p))
      const slotPlatforms = own.length > 0 ? own : this.platforms
      if (this.board.clash(slot.day, slot.at, slotPlatforms, this.limits(e)) === undefined)
        this.place(e, slot.at, false, slotPlatforms)
    }
  }

  /**
   * Step 5: new and displaced quotes, highest priority first, in the best free time of the best day.
   * A theme day's room is held for the themed quotes still waiting for it, so an unthemed quote of higher
   * priority does not push a cooperation quote off the Cooperation day.
   */
  placeRest(entries: Entry[]): Refused[] {
    const waiting = new Map<string, number>()
    for (const e of entries) {
      if (!this.setup.settled.has(e.quote.id))
        for (const d of e.themed) waiting.set(d, (waiting.get(d) ?? 0) + 1)
    }
    const refused: Refused[] = []
    for (const e of entries) {
      if (this.setup.settled.has(e.quote.id)) continue
      for (const d of e.themed) waiting.set(d, (waiting.get(d) ?? 1) - 1)
      const reason = this.placeFree(e, waiting)
      if (reason) refused.push({ quoteId: e.quote.id, reason, order: e.order })
    }
    return refused
  }

  private placePinned(e: Entry): string | undefined {
    const raw = e.quote.pin ?? ''
    const pin = parsePin(raw)
    if (!pin) return `pin "${raw}" is neither a day (YYYY-MM-DD) nor a local slot (YYYY-MM-DDTHH:mm)`
    const { days } = this.setup
    if (!this.sessionDays.has(pin.day))
      return `pinned to ${pin.day}, which is not a session day (${days[0]} … ${days.at(-1)})`
    if (pin.kind === 'slot') return this.placeAtPinnedTime(e, raw, pin)
    return this.placeOnPinnedDay(e, pin.day)
  }

  private placeAtPinnedTime(e: Entry, raw: string, pin: Extract<Pin, { kind: 'slot' }>): string | undefined {
    const at = localToUtc(pin.day, pin.time, this.zone)
    if (!at)
      return `pinned to ${raw}, a time that does not exist in ${this.zone} that day (clocks change): pick another`
    const clash = this.board.clash(pin.day, at, this.platforms, this.limits(e))
    if (clash) return `pinned to ${raw}, but ${this.clashText(clash)}`
    this.place(e, at, true)
    return undefined
  }

  private placeOnPinnedDay(e: Entry, day: string): string | undefined {
    const before = this.setup.earlier.get(e.quote.id)
    if (
      before &&
      before.day === day &&
      !this.board.clash(before.day, before.at, this.platforms, this.limits(e))
    ) {
      this.place(e, before.at, true)
      return undefined
    }
    // Prefer a time no earlier slot holds, so pinning one quote moves no other.
    const others = [...this.setup.earlier.values()].filter((s) => s.quoteId !== e.quote.id)
    const grid = this.gridOf(day)
    const free = grid.filter((g) => !this.board.clash(day, g.at, this.platforms, this.limits(e)))
    const best = free.find((g) => !others.some((s) => this.nearby(s, g.at))) ?? free[0]
    if (best) {
      this.place(e, best.at, true)
      return undefined
    }
    const clash = grid
      .map((g) => this.board.clash(day, g.at, this.platforms, this.limits(e)))
      .find((c) => c !== undefined)
    return `pinned to ${day}, but ${clash ? this.clashText(clash) : 'the day has no posting time'}`
  }

  private placeFree(e: Entry, waiting: Map<string, number>): string | undefined {
    const seen = new Set<Clash['kind']>()
    for (const day of this.daysInOrderFor(e, waiting)) {
      if (this.board.full(day)) {
        seen.add('full')
        continue
      }
      for (const g of this.gridOf(day)) {
        const clash = this.board.clash(day, g.at, this.platforms, this.limits(e))
        if (!clash) {
          this.place(e, g.at, false)
          return undefined
        }
        seen.add(clash.kind)
      }
    }
    return this.noFreeSlot(e, seen)
  }

  /** The session days, best first for this quote: its theme, room left, its organisation not yet there, spread. */
  private daysInOrderFor(e: Entry, waiting: Map<string, number>): string[] {
    const { themed } = e
    const org = orgKey(e.quote)
    const max = this.campaign.max_threads_per_day
    const rank = (day: string, index: number): number[] => [
      themed.size > 0 && !themed.has(day) ? 1 : 0,
      !themed.has(day) && this.board.count(day) + (waiting.get(day) ?? 0) >= max ? 1 : 0,
      this.board.hasOrg(day, org) ? 1 : 0,
      this.board.count(day) >= this.setup.softCap ? 1 : 0,
      index,
    ]
    return this.setup.days
      .map((day, index) => ({ day, key: rank(day, index) }))
      .sort((a, b) => compareKeys(a.key, b.key))
      .map(({ day }) => day)
  }

  /** Why a quote found no free time, from the clashes met on the way. */
  private noFreeSlot(e: Entry, seen: Set<Clash['kind']>): string {
    const c = this.campaign
    const capacity = `${this.setup.days.length} days × max_threads_per_day ${c.max_threads_per_day}, min_gap_minutes ${c.min_gap_minutes}`
    if (!seen.has('full') && !seen.has('gap')) {
      if (seen.has('embargo') && e.embargo)
        return `embargoed until ${this.shown(e.embargo)}, after the last posting time of the session`
      return 'no posting time left: the session is over'
    }
    const after = e.embargo ? ` after its embargo (${this.shown(e.embargo)})` : ''
    return `no free slot${after}: the calendar is full (${capacity}); raise max_threads_per_day, add a posting window, or lower the priority of another quote`
  }

  private place(e: Entry, at: string, hard: boolean, slotPlatforms: Platform[] = this.platforms): void {
    const quoteId = e.quote.id
    const slot: Slot = {
      threadId: this.setup.threadIdOf(quoteId),
      quoteId,
      at,
      day: localDay(at, this.zone),
      platforms: slotPlatforms,
      locked: false,
      status: 'planned',
    }
    this.board.add({ slot, org: orgKey(e.quote), priority: e.quote.priority, order: e.order, hard })
    this.setup.settled.add(quoteId)
  }

  private limits(e: Entry): Limits {
    const { now } = this.setup
    return { ...(e.embargo ? { embargo: e.embargo } : {}), ...(now ? { now } : {}) }
  }

  private gridOf(day: string): GridTime[] {
    let g = this.grids.get(day)
    if (!g) {
      g = dayGrid(this.campaign, day)
      this.grids.set(day, g)
    }
    return g
  }

  private nearby(s: Slot, at: string): boolean {
    return Math.abs(Date.parse(s.at) - Date.parse(at)) < Math.max(this.campaign.min_gap_minutes, 1) * 60_000
  }

  private clashText(c: Clash): string {
    switch (c.kind) {
      case 'full':
        return `${c.day} already has max_threads_per_day (${this.campaign.max_threads_per_day}) locked, posted or pinned threads`
      case 'gap':
        return `${c.with.slot.threadId} is at ${localClock(c.with.slot.at, this.zone)}, less than min_gap_minutes (${this.campaign.min_gap_minutes}) away`
      case 'embargo':
        return `the quote is embargoed until ${this.shown(c.until)}`
      case 'past':
        return 'that time has passed'
    }
  }

  private shown(at: string): string {
    return `${localDay(at, this.zone)} ${localClock(at, this.zone)} ${this.zone}`
  }
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}
