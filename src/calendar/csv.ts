import { stringify } from 'csv-stringify/sync'
import { neutraliseStrings } from '../quotes/csv-cell.ts'
import type { Quote } from '../quotes/schema.ts'
import { orgKey } from './eligibility.ts'
import { slotRows } from './rows.ts'
import type { Plan } from './types.ts'

// @NOTE Unplaced quotes are rows too (status `unplaced`, the reason in its own column), so a spreadsheet of
// the plan shows every quote of the bank and nothing is silently missing.
const COLUMNS = [
  'thread',
  'quote',
  'organisation',
  'priority',
  'day',
  'local_time',
  'timezone',
  'utc',
  'platforms',
  'status',
  'locked',
  'card',
  'reason',
] as const

export function planCsv(plan: Plan, quotes: Quote[]): string {
  const rows: Record<string, string | number | boolean | null>[] = slotRows(plan, quotes).map((r) => ({
    ...r,
    reason: '',
  }))
  const byId = new Map(quotes.map((q) => [q.id, q]))
  for (const u of plan.unplaced) {
    const q = byId.get(u.quoteId)
    rows.push({
      thread: '',
      quote: u.quoteId,
      organisation: q ? orgKey(q) : '',
      priority: q?.priority ?? null,
      status: 'unplaced',
      reason: u.reason,
    })
  }
  return stringify(rows, {
    header: true,
    columns: [...COLUMNS],
    cast: { ...neutraliseStrings, boolean: (b) => (b ? 'true' : 'false') },
  })
}
