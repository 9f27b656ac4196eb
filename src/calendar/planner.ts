import { DateTime } from 'luxon'
import { type Campaign, campaignPlatforms } from '../campaign/schema.ts'
import { embargoInstant, isoUtc, localClock, localDay, localToUtc, parsePin } from '../core/time.ts'
import { embargoedAt, whyNotPostable } from '../quotes/postable.ts'
import type { Platform, Quote } from '../quotes/schema.ts'
import { Board, type Clash } from './board.ts'
import { orgKey } from './eligibility.ts'
import { dayGrid, type GridTime, inWindow } from './grid.ts'
import type { Plan, Slot, Unplaced } from './types.ts'
import { planWarnings } from './warnings.ts'

// @NOTE Rules, in order: pin, the day's theme, embargo, threads a day, minimum gap, one organisation a day
// while others wait, priority. Re-planning moves as little as it can: posted and locked slots never move,
// pins come next, then every earlier unlocked slot stays where it is while it breaks no rule, and only then
// are new (or displaced) quotes placed in the free times, highest priority first.

export interface PlanOptions {
  /** Slots before this instant are history: they stay, and nothing new is placed before it. */
  now?: string | Date
}

interface Entry {
  quote: Quote
  order: number
  embargo?: string
  /** The session days whose themes the quote shares. */
  themed: Set<string>
}

export function threadIdFor(campaign: Campaign, quoteId: string): string {
  return `${campaign.id}-${quoteId}`
}

/** Pure: the same inputs give the same plan. `previous` (the plan file) keeps locked/posted slots in place. */
export function planCampaign(
  campaign: Campaign,
  quotes: Quote[],
  previous?: Plan,
  options: PlanOptions = {},
): Plan {
  const zone = campaign.timezone
  const now = options.now === undefined ? undefined : isoUtc(DateTime.fromJSDate(new Date(options.now)))
  const platforms = campaignPlatforms(campaign)
  const days = campaign.days.map((d) => d.date).sort()
  const sessionDays = new Set(days)
  const byId = new Map(quotes.map((quote, order) => [quote.id, { quote, order }]))
  const board = new Board(campaign)
  const cancelled: Slot[] = []
  const unplaced: (Unplaced & { order: number })[] = []
  const warnings: string[] = []
  const settled = new Set<string>()
  const earlier = new Map<string, Slot>()
  const slotOf = (quoteId: string, at: string, slotPlatforms: Platform[] = platforms): Slot => ({
    threadId: threadIdFor(campaign, quoteId),
    quoteId,
    at,
    day: localDay(at, zone),
    platforms: slotPlatforms,
    locked: false,
    status: 'planned',
  })

  // 1. What the plan file already settles: posted and locked slots, the past, and staff's drops.
  for (const s of previous?.slots ?? []) {
    if (settled.has(s.quoteId) || earlier.has(s.quoteId)) continue
    const found = byId.get(s.quoteId)
    const at = isoUtc(DateTime.fromISO(s.at, { zone: 'utc' }))
    const slot: Slot = { ...s, at, day: localDay(at, zone), threadId: threadIdFor(campaign, s.quoteId) }
    if (s.status === 'cancelled') {
      // A drop stays in the file (so the quote does not come back) while the quote is in the bank.
      if (found) {
        cancelled.push(slot)
        settled.add(s.quoteId)
      }
      continue
    }
    const past = now !== undefined && Date.parse(at) < Date.parse(now)
    if (s.status === 'posted' || s.locked || past) {
      board.add({
        slot,
        org: found ? orgKey(found.quote) : s.quoteId,
        priority: found?.quote.priority ?? 0,
        order: found?.order ?? -1,
        hard: true,
      })
      settled.add(s.quoteId)
      if (s.status !== 'posted')
        warnings.push(...fixedSlotWarnings(campaign, slot, found?.quote, sessionDays))
      continue
    }
    if (!found) {
      warnings.push(
        `${slot.threadId}: the quote is no longer in the bank, its slot on ${slot.day} is dropped`,
      )
      continue
    }
    earlier.set(s.quoteId, slot)
  }

  // 2. Which quotes may be placed at all.
  const entries: Entry[] = []
  for (const [order, quote] of quotes.entries()) {
    if (settled.has(quote.id)) continue
    const why = whyNotPostable(quote, true)
    if (why) {
      unplaced.push({ quoteId: quote.id, reason: why, order })
      continue
    }
    const embargo = quote.embargo_until === undefined ? undefined : embargoInstant(quote.embargo_until, zone)
    if (quote.embargo_until !== undefined && embargo === undefined) {
      unplaced.push({
        quoteId: quote.id,
        reason: `embargo_until "${quote.embargo_until}" is not a date: write YYYY-MM-DD or YYYY-MM-DDTHH:mm (${zone})`,
        order,
      })
      continue
    }
    const themed = new Set(
      campaign.days.filter((d) => d.themes.some((t) => quote.themes.includes(t))).map((d) => d.date),
    )
    entries.push(embargo === undefined ? { quote, order, themed } : { quote, order, embargo, themed })
  }
  entries.sort((a, b) => b.quote.priority - a.quote.priority || a.order - b.order)
  const entryOf = new Map(entries.map((e) => [e.quote.id, e]))
  const grids = new Map<string, GridTime[]>()
  const gridOf = (day: string): GridTime[] => {
    let g = grids.get(day)
    if (!g) {
      g = dayGrid(campaign, day)
      grids.set(day, g)
    }
    return g
  }
  const softCap = Math.ceil((board.placed.length + entries.length) / days.length)
  const place = (e: Entry, at: string, hard: boolean, slotPlatforms?: Platform[]): void => {
    board.add({
      slot: slotOf(e.quote.id, at, slotPlatforms),
      org: orgKey(e.quote),
      priority: e.quote.priority,
      order: e.order,
      hard,
    })
    settled.add(e.quote.id)
  }
  const limits = (e: Entry) => ({ ...(e.embargo ? { embargo: e.embargo } : {}), ...(now ? { now } : {}) })

  // 3. Pins: placed before the earlier unlocked slots, which give way to them if they must.
  for (const e of entries) {
    if (e.quote.pin === undefined) continue
    const reason = placePinned(e)
    if (reason) {
      unplaced.push({ quoteId: e.quote.id, reason, order: e.order })
      settled.add(e.quote.id)
    }
  }

  // 4. Earlier unlocked slots stay where they are while they break no rule (chronological, so a later one moves).
  const kept = [...earlier.values()].sort(
    (a, b) => a.at.localeCompare(b.at) || a.threadId.localeCompare(b.threadId),
  )
  for (const slot of kept) {
    const e = entryOf.get(slot.quoteId)
    if (!e || settled.has(slot.quoteId) || !sessionDays.has(slot.day)) continue
    const own = slot.platforms.filter((p) => platforms.includes(p))
    const slotPlatforms = own.length > 0 ? own : platforms
    if (board.clash(slot.day, slot.at, slotPlatforms, limits(e)) === undefined)
      place(e, slot.at, false, slotPlatforms)
  }

  // 5. New and displaced quotes, highest priority first, in the best free time of the best day.
  // A theme day's room is held for the themed quotes still waiting for it, so an unthemed quote of higher
  // priority does not push a cooperation quote off the Cooperation day.
  const waiting = new Map<string, number>()
  for (const e of entries) {
    if (!settled.has(e.quote.id)) for (const d of e.themed) waiting.set(d, (waiting.get(d) ?? 0) + 1)
  }
  for (const e of entries) {
    if (settled.has(e.quote.id)) continue
    for (const d of e.themed) waiting.set(d, (waiting.get(d) ?? 1) - 1)
    const reason = placeFree(e, waiting)
    if (reason) unplaced.push({ quoteId: e.quote.id, reason, order: e.order })
  }

  const slots = [...board.placed.map((p) => p.slot), ...cancelled].sort(
    (a, b) => a.at.localeCompare(b.at) || a.threadId.localeCompare(b.threadId),
  )
  warnings.push(...planWarnings(campaign, slots, byId))
  return {
    campaign: campaign.id,
    timezone: zone,
    slots,
    unplaced: unplaced.sort((a, b) => a.order - b.order).map(({ quoteId, reason }) => ({ quoteId, reason })),
    warnings,
  }

  function placePinned(e: Entry): string | undefined {
    const raw = e.quote.pin ?? ''
    const pin = parsePin(raw)
    if (!pin) return `pin "${raw}" is neither a day (YYYY-MM-DD) nor a local slot (YYYY-MM-DDTHH:mm)`
    if (!sessionDays.has(pin.day))
      return `pinned to ${pin.day}, which is not a session day (${days[0]} … ${days.at(-1)})`
    if (pin.kind === 'slot') {
      const at = localToUtc(pin.day, pin.time, zone)
      if (!at)
        return `pinned to ${raw}, a time that does not exist in ${zone} that day (clocks change): pick another`
      const clash = board.clash(pin.day, at, platforms, limits(e))
      if (clash) return `pinned to ${raw}, but ${clashText(clash)}`
      place(e, at, true)
      return undefined
    }
    const before = earlier.get(e.quote.id)
    if (before && before.day === pin.day && !board.clash(before.day, before.at, platforms, limits(e))) {
      place(e, before.at, true)
      return undefined
    }
    // Prefer a time no earlier slot holds, so pinning one quote moves no other.
    const others = [...earlier.values()].filter((s) => s.quoteId !== e.quote.id)
    const grid = gridOf(pin.day)
    const free = grid.filter((g) => !board.clash(pin.day, g.at, platforms, limits(e)))
    const best = free.find((g) => !others.some((s) => nearby(s, g.at))) ?? free[0]
    if (best) {
      place(e, best.at, true)
      return undefined
    }
    const clash = grid
      .map((g) => board.clash(pin.day, g.at, platforms, limits(e)))
      .find((c) => c !== undefined)
    return `pinned to ${pin.day}, but ${clash ? clashText(clash) : 'the day has no posting time'}`
  }

  function nearby(s: Slot, at: string): boolean {
    return Math.abs(Date.parse(s.at) - Date.parse(at)) < Math.max(campaign.min_gap_minutes, 1) * 60_000
  }

  function placeFree(e: Entry, waiting: Map<string, number>): string | undefined {
    const { themed } = e
    const org = orgKey(e.quote)
    const rank = (day: string, index: number): number[] => [
      themed.size > 0 && !themed.has(day) ? 1 : 0,
      !themed.has(day) && board.count(day) + (waiting.get(day) ?? 0) >= campaign.max_threads_per_day ? 1 : 0,
      board.hasOrg(day, org) ? 1 : 0,
      board.count(day) >= softCap ? 1 : 0,
      index,
    ]
    const ordered = days
      .map((day, index) => ({ day, key: rank(day, index) }))
      .sort((a, b) => compareKeys(a.key, b.key))
    const seen = new Set<Clash['kind']>()
    for (const { day } of ordered) {
      if (board.full(day)) {
        seen.add('full')
        continue
      }
      for (const g of gridOf(day)) {
        const clash = board.clash(day, g.at, platforms, limits(e))
        if (!clash) {
          place(e, g.at, false)
          return undefined
        }
        seen.add(clash.kind)
      }
    }
    const capacity = `${days.length} days × max_threads_per_day ${campaign.max_threads_per_day}, min_gap_minutes ${campaign.min_gap_minutes}`
    if (!seen.has('full') && !seen.has('gap')) {
      if (seen.has('embargo') && e.embargo)
        return `embargoed until ${shown(e.embargo)}, after the last posting time of the session`
      return 'no posting time left: the session is over'
    }
    const after = e.embargo ? ` after its embargo (${shown(e.embargo)})` : ''
    return `no free slot${after}: the calendar is full (${capacity}); raise max_threads_per_day, add a posting window, or lower the priority of another quote`
  }

  function clashText(c: Clash): string {
    switch (c.kind) {
      case 'full':
        return `${c.day} already has max_threads_per_day (${campaign.max_threads_per_day}) locked, posted or pinned threads`
      case 'gap':
        return `${c.with.slot.threadId} is at ${localClock(c.with.slot.at, zone)}, less than min_gap_minutes (${campaign.min_gap_minutes}) away`
      case 'embargo':
        return `the quote is embargoed until ${shown(c.until)}`
      case 'past':
        return 'that time has passed'
    }
  }

  function shown(at: string): string {
    return `${localDay(at, zone)} ${localClock(at, zone)} ${zone}`
  }
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

function fixedSlotWarnings(
  campaign: Campaign,
  slot: Slot,
  quote: Quote | undefined,
  sessionDays: Set<string>,
): string[] {
  const out: string[] = []
  const why = quote
    ? (whyNotPostable(quote, true) ?? embargoedAt(quote, Date.parse(slot.at), campaign.timezone))
    : 'the quote is no longer in the bank'
  if (why) out.push(`${slot.threadId} keeps its slot on ${slot.day} but will not be posted: ${why}`)
  if (!sessionDays.has(slot.day))
    out.push(`${slot.threadId} is locked on ${slot.day}, which is not a session day`)
  else if (!inWindow(campaign, localClock(slot.at, campaign.timezone))) {
    out.push(
      `${slot.threadId} is locked at ${localClock(slot.at, campaign.timezone)}, outside the posting windows`,
    )
  }
  return out
}
