import { DateTime } from 'luxon'

// @NOTE Times are stored as UTC instants and shown in the campaign's zone, never the machine's.

export function localTime(at: string, zone: string): string {
  return DateTime.fromISO(at, { zone: 'utc' }).setZone(zone).toFormat('HH:mm')
}

/** "Mon 5 Dec" for a YYYY-MM-DD session day. */
export function dayLabel(day: string): string {
  return DateTime.fromISO(day, { zone: 'utc' }).setLocale('en-GB').toFormat('ccc d LLL')
}

/** The zone's abbreviation at that instant, e.g. CET, for the legend. */
export function zoneAbbreviation(at: string | Date, zone: string): string {
  const dt = typeof at === 'string' ? DateTime.fromISO(at, { zone: 'utc' }) : DateTime.fromJSDate(at)
  return dt.setZone(zone).setLocale('en-GB').toFormat('ZZZZ')
}

export function clockIn(date: Date, zone: string): string {
  return DateTime.fromJSDate(date).setZone(zone).toFormat('HH:mm:ss')
}

/** The session day (YYYY-MM-DD) an instant falls on, in the campaign's zone. */
export function dayIn(date: Date, zone: string): string {
  return DateTime.fromJSDate(date).setZone(zone).toFormat('yyyy-LL-dd')
}

/** One spelling of an instant for `datetime` attributes (UTC, no milliseconds), however the plan wrote it. */
export function isoInstant(at: string): string {
  return DateTime.fromISO(at, { zone: 'utc' }).toUTC().toISO({ suppressMilliseconds: true }) ?? at
}
