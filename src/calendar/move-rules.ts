import type { Campaign } from '../campaign/schema.ts'
import { embargoInstant, localClock, localDay, localToUtc } from '../core/time.ts'
import type { Quote } from '../quotes/schema.ts'
import { Board } from './board.ts'
import { orgKey } from './eligibility.ts'
import { inWindow } from './grid.ts'
import { RefusedChange } from './plan-edit.ts'
import type { Plan, Slot } from './types.ts'

// @NOTE A move by hand is judged by the planner's own rules (the Board): a hard rule refuses it with the reason,
// a soft one (the gap, threads a day, the posting windows) lets it through with a warning, because staff may
// know better than the planner, as they may when they edit plan.yaml.

export interface Moved {
  slot: Slot
  warnings: string[]
}

/** The slot at `day` `time` (local), locked, or a RefusedChange saying which hard rule it breaks. */
export function judgeMove(
  campaign: Campaign,
  quotes: Map<string, Quote>,
  plan: Plan,
  slot: Slot,
  to: { day: string; time: string },
  now?: Date,
): Moved {
  const zone = campaign.timezone
  const days = campaign.days.map((d) => d.date).sort()
  if (slot.status === 'posted')
    throw new RefusedChange('It has been posted already, so it stays where it is.')
  if (!/^\d{4}-\d{2}-\d{2}$/.test(to.day) || !/^\d{2}:\d{2}$/.test(to.time))
    throw new RefusedChange('Give the day as YYYY-MM-DD and the time as HH:mm (24-hour).')
  if (!days.includes(to.day))
    throw new RefusedChange(`${to.day} is not a day of the session (${days[0]} to ${days.at(-1)}).`)
  const at = localToUtc(to.day, to.time, zone)
  if (!at)
    throw new RefusedChange(
      `${to.time} does not exist on ${to.day} in ${zone}: the clocks go forward that night. Pick another time.`,
    )
  if (now && Date.parse(at) < now.getTime()) throw new RefusedChange('That time has already passed.')
  const quote = quotes.get(slot.quoteId)
  const embargo = quote?.embargo_until === undefined ? undefined : embargoInstant(quote.embargo_until, zone)
  if (embargo && Date.parse(at) < Date.parse(embargo))
    throw new RefusedChange(
      `The quote is under embargo until ${localDay(embargo, zone)} ${localClock(embargo, zone)}: it cannot go out before then.`,
    )

  const board = new Board(campaign)
  for (const s of plan.slots) {
    if (s.threadId === slot.threadId || s.status === 'cancelled') continue
    const q = quotes.get(s.quoteId)
    board.add({ slot: s, org: q ? orgKey(q) : s.quoteId, priority: 0, order: 0, hard: true })
  }
  const warnings: string[] = []
  if (board.full(to.day))
    warnings.push(
      `${to.day} now has ${board.count(to.day) + 1} threads, more than the ${campaign.max_threads_per_day} a day the campaign asks for.`,
    )
  for (const near of board.gapClashes(at, slot.platforms)) {
    const q = quotes.get(near.slot.quoteId)
    warnings.push(
      `It is less than ${campaign.min_gap_minutes} minutes from ${q ? orgKey(q) : near.slot.quoteId} at ${localClock(near.slot.at, zone)}.`,
    )
  }
  if (!inWindow(campaign, to.time)) warnings.push(`${to.time} is outside the posting windows.`)
  return { slot: { ...slot, at, day: to.day, locked: true }, warnings }
}
