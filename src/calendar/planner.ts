import { DateTime } from 'luxon'
import type { Campaign } from '../campaign/schema.ts'
import { isoUtc, localClock, localDay } from '../core/time.ts'
import { embargoedAt, whyNotPostable } from '../quotes/postable.ts'
import type { Quote } from '../quotes/schema.ts'
import { Board } from './board.ts'
import { orgKey } from './eligibility.ts'
import { inWindow } from './grid.ts'
import { placeableEntries } from './placeable.ts'
import { Placer } from './placer.ts'
import type { Plan, Slot } from './types.ts'
import { planWarnings } from './warnings.ts'

// @NOTE Rules, in order: pin, the day's theme, embargo, threads a day, minimum gap, one organisation a day
// while others wait, priority. Re-planning moves as little as it can: posted and locked slots never move,
// pins come next, then every earlier unlocked slot stays where it is while it breaks no rule, and only then
// are new (or displaced) quotes placed in the free times, highest priority first.

export interface PlanOptions {
  /** Slots before this instant are history: they stay, and nothing new is placed before it. */
  now?: string | Date
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
  const now = options.now === undefined ? undefined : isoUtc(DateTime.fromJSDate(new Date(options.now)))
  const days = campaign.days.map((d) => d.date).sort()
  const byId = new Map(quotes.map((quote, order) => [quote.id, { quote, order }]))
  const board = new Board(campaign)

  // 1. What the plan file already settles: posted and locked slots, the past, and staff's drops.
  const fromFile = settleFromPlanFile(campaign, previous?.slots ?? [], byId, board, now)
  // 2. Which quotes may be placed at all.
  const { entries, refused } = placeableEntries(campaign, quotes, fromFile.settled)
  const placer = new Placer({
    campaign,
    board,
    days,
    now,
    settled: fromFile.settled,
    earlier: fromFile.earlier,
    softCap: Math.ceil((board.placed.length + entries.length) / days.length),
    threadIdOf: (quoteId) => threadIdFor(campaign, quoteId),
  })
  // 3. Pins; 4. earlier unlocked slots where they still fit; 5. the rest in the best free times.
  const unplaced = [...refused, ...placer.placePins(entries)]
  placer.keepEarlier(entries)
  unplaced.push(...placer.placeRest(entries))

  const slots = [...board.placed.map((p) => p.slot), ...fromFile.cancelled].sort(
    (a, b) => a.at.localeCompare(b.at) || a.threadId.localeCompare(b.threadId),
  )
  return {
    campaign: campaign.id,
    timezone: campaign.timezone,
    slots,
    unplaced: unplaced.sort((a, b) => a.order - b.order).map(({ quoteId, reason }) => ({ quoteId, reason })),
    warnings: [...fromFile.warnings, ...planWarnings(campaign, slots, byId)],
  }
}

type BankIndex = Map<string, { quote: Quote; order: number }>

interface FromPlanFile {
  /** Staff's drops, kept in the plan while their quote is in the bank. */
  cancelled: Slot[]
  /** Quotes whose slot is settled (posted, locked, past, dropped): the planner places them no more. */
  settled: Set<string>
  /** Unlocked slots of quotes still in the bank: kept in step 4 where they break no rule. */
  earlier: Map<string, Slot>
  warnings: string[]
}

/** Step 1: puts the plan file's posted, locked and past slots on the board and sorts out the rest. */
function settleFromPlanFile(
  campaign: Campaign,
  previous: Slot[],
  byId: BankIndex,
  board: Board,
  now: string | undefined,
): FromPlanFile {
  const zone = campaign.timezone
  const sessionDays = new Set(campaign.days.map((d) => d.date))
  const out: FromPlanFile = { cancelled: [], settled: new Set(), earlier: new Map(), warnings: [] }
  for (const s of previous) {
    if (out.settled.has(s.quoteId) || out.earlier.has(s.quoteId)) continue
    const found = byId.get(s.quoteId)
    const at = isoUtc(DateTime.fromISO(s.at, { zone: 'utc' }))
    const slot: Slot = { ...s, at, day: localDay(at, zone), threadId: threadIdFor(campaign, s.quoteId) }
    if (s.status === 'cancelled') {
      // A drop stays in the file (so the quote does not come back) while the quote is in the bank.
      if (found) {
        out.cancelled.push(slot)
        out.settled.add(s.quoteId)
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
      out.settled.add(s.quoteId)
      if (s.status !== 'posted')
        out.warnings.push(...fixedSlotWarnings(campaign, slot, found?.quote, sessionDays))
      continue
    }
    if (!found) {
      out.warnings.push(
        `${slot.threadId}: the quote is no longer in the bank, its slot on ${slot.day} is dropped`,
      )
      continue
    }
    out.earlier.set(s.quoteId, slot)
  }
  return out
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
