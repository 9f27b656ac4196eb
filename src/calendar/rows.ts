import { localClock, localDay } from '../core/time.ts'
import type { Quote } from '../quotes/schema.ts'
import { cardPathFor } from './card-path.ts'
import { orgKey } from './eligibility.ts'
import type { Plan, Slot } from './types.ts'

// @NOTE One flat view of a slot for the CSV and JSON exports: the UTC instant for machines, the local day
// and time (with the zone named) for people, so neither has to convert.

export interface SlotRow {
  thread: string
  quote: string
  organisation: string
  priority: number | null
  day: string
  local_time: string
  timezone: string
  utc: string
  platforms: string
  status: Slot['status']
  locked: boolean
  card: string
}

export function slotRows(plan: Plan, quotes: Quote[]): SlotRow[] {
  const byId = new Map(quotes.map((q) => [q.id, q]))
  return plan.slots.map((s) => {
    const q = byId.get(s.quoteId)
    return {
      thread: s.threadId,
      quote: s.quoteId,
      organisation: q ? orgKey(q) : '',
      priority: q?.priority ?? null,
      day: localDay(s.at, plan.timezone),
      local_time: localClock(s.at, plan.timezone),
      timezone: plan.timezone,
      utc: s.at,
      platforms: s.platforms.join(' '),
      status: s.status,
      locked: s.locked,
      card: cardPathFor(s.quoteId),
    }
  })
}

export function planJson(plan: Plan, quotes: Quote[]): string {
  const rows = slotRows(plan, quotes)
  return `${JSON.stringify(
    {
      campaign: plan.campaign,
      timezone: plan.timezone,
      slots: plan.slots.map((s, i) => ({
        ...s,
        local: { day: rows[i]?.day, time: rows[i]?.local_time },
        card: rows[i]?.card,
      })),
      unplaced: plan.unplaced,
      warnings: plan.warnings ?? [],
    },
    null,
    2,
  )}\n`
}
