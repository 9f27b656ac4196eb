import { DateTime } from 'luxon'
import { isoUtc, localClock, localDay } from '../calendar/time.ts'

// @NOTE Times are stored as UTC instants and shown in the campaign's zone, never the machine's. The
// conversions are the calendar module's; only the page's own labels live here.

export const localTime = localClock

/** "Mon 5 Dec" for a YYYY-MM-DD session day. */
export function dayLabel(day: string): string {
  return DateTime.fromISO(day, { zone: 'utc' }).setLocale('en-GB').toFormat('ccc d LLL')
}

/** The zone's abbreviation at that instant, e.g. CET, for the legend. */
export function zoneAbbreviation(at: string, zone: string): string {
  return DateTime.fromISO(at, { zone: 'utc' }).setZone(zone).setLocale('en-GB').toFormat('ZZZZ')
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
