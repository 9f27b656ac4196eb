import { DateTime } from 'luxon'
import type { Campaign } from './schema.ts'

/** The session's last day when the whole session is over at `now` (past the end of that day in its zone). */
export function sessionOver(campaign: Campaign, now: Date): string | undefined {
  const last = campaign.days
    .map((d) => d.date)
    .sort()
    .at(-1)
  if (!last) return undefined
  const end = DateTime.fromISO(last, { zone: campaign.timezone }).endOf('day')
  return now.getTime() > end.toMillis() ? last : undefined
}
