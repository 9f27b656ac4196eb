import { DateTime } from 'luxon'

// @NOTE Every local time is read and shown in the campaign's zone through luxon, never the process TZ:
// the same plan file gives the same instants on a laptop in Nairobi and a server in UTC.

const LOCAL_DAY = /^\d{4}-\d{2}-\d{2}$/
const LOCAL_SLOT = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/

/** The instant of a local day + HH:mm in `zone`, or undefined when that wall time does not exist (DST gap). */
export function localToUtc(day: string, time: string, zone: string): string | undefined {
  const dt = DateTime.fromISO(`${day}T${time}`, { zone })
  if (!dt.isValid) return undefined
  // luxon moves a wall time inside a spring-forward gap to a later hour; refuse it rather than post at 03:30.
  if (dt.toFormat('yyyy-LL-dd') !== day || dt.toFormat('HH:mm') !== time) return undefined
  return isoUtc(dt)
}

export function isoUtc(dt: DateTime): string {
  return dt.toUTC().toISO({ suppressMilliseconds: true }) ?? ''
}

export function inZone(at: string, zone: string): DateTime {
  return DateTime.fromISO(at, { zone: 'utc' }).setZone(zone)
}

export function localDay(at: string, zone: string): string {
  return inZone(at, zone).toFormat('yyyy-LL-dd')
}

export function localClock(at: string, zone: string): string {
  return inZone(at, zone).toFormat('HH:mm')
}

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

export function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}

export function isValidZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid
}

export type Pin = { kind: 'day'; day: string } | { kind: 'slot'; day: string; time: string }

/** A quote's `pin`: YYYY-MM-DD or YYYY-MM-DDTHH:mm local; undefined when it is neither. */
export function parsePin(pin: string): Pin | undefined {
  if (LOCAL_DAY.test(pin)) return DateTime.fromISO(pin).isValid ? { kind: 'day', day: pin } : undefined
  const m = LOCAL_SLOT.exec(pin)
  if (!m?.[1] || !m[2]) return undefined
  return DateTime.fromISO(pin).isValid ? { kind: 'slot', day: m[1], time: m[2] } : undefined
}

/**
 * `embargo_until` as an instant: a bare day means the start of that day in the campaign's zone, a local
 * date-time is read in that zone, and a time with an offset or Z is taken as written.
 */
export function embargoInstant(embargo: string, zone: string): string | undefined {
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(embargo)
  const dt = DateTime.fromISO(embargo, hasOffset ? { setZone: true } : { zone })
  return dt.isValid ? isoUtc(dt) : undefined
}
