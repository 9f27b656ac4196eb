import { DateTime } from 'luxon'
import { isoUtc, localClock, localDay, localToUtc } from '../core/time.ts'

// @NOTE Times are stored as UTC instants and shown in the campaign's zone, never the machine's. The
// conversions are the calendar module's; only the page's own labels live here.

export const localTime = localClock

/** "Mon 5 Dec" for a YYYY-MM-DD session day. */
export function dayLabel(day: string): string {
  return DateTime.fromISO(day, { zone: 'utc' }).setLocale('en-GB').toFormat('ccc d LLL')
}

/** The zone's abbreviation at that instant, e.g. CET, for the legend. */
function zoneAbbreviation(at: string, zone: string): string {
  return DateTime.fromISO(at, { zone: 'utc' }).setZone(zone).setLocale('en-GB').toFormat('ZZZZ')
}

/** The zone's abbreviation on a session day at a local time (CET in winter, CEST in summer). */
export function dayZoneAbbreviation(day: string, zone: string, time = '12:00'): string {
  const at = localToUtc(day, time, zone) ?? localToUtc(day, '12:00', zone) ?? `${day}T12:00:00Z`
  return zoneAbbreviation(at, zone)
}

/** "CET", or "CET, then CEST from Sun 29 Mar" when the clocks change during the days shown. */
export function zoneSummary(days: { day: string; abbreviation: string }[]): string {
  const [first, ...rest] = days
  if (!first) return ''
  const parts = [first.abbreviation]
  let current = first.abbreviation
  for (const d of rest) {
    if (d.abbreviation === current) continue
    parts.push(`then ${d.abbreviation} from ${dayLabel(d.day)}`)
    current = d.abbreviation
  }
  return parts.join(', ')
}

export function clockIn(date: Date, zone: string): string {
  return DateTime.fromJSDate(date).setZone(zone).toFormat('HH:mm:ss')
}

/** The session day (YYYY-MM-DD) an instant falls on, in the campaign's zone. */
export function dayIn(date: Date, zone: string): string {
  return localDay(date.toISOString(), zone)
}

/** One spelling of an instant for `datetime` attributes (UTC, no milliseconds), however the plan wrote it. */
export function isoInstant(at: string): string {
  return isoUtc(DateTime.fromISO(at, { zone: 'utc' })) || at
}
