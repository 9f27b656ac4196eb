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

export type WallTime =
  | { kind: 'ok'; at: string }
  | { kind: 'missing' }
  /** Happens twice (the clocks go back): `at` is the one localToUtc gives. */
  | { kind: 'ambiguous'; at: string; first: string; second: string }

/**
 * Whether a local day + HH:mm happens once in `zone`, never (skipped when the clocks go forward) or twice (when
 * they go back), found by reading it with the zone's offsets a day before and a day after.
 */
export function wallTime(day: string, time: string, zone: string): WallTime {
  const at = localToUtc(day, time, zone)
  if (!at) return { kind: 'missing' }
  const wall = DateTime.fromISO(`${day}T${time}`, { zone: 'utc' })
  const instants = new Set<string>()
  for (const near of [-1, 1]) {
    const offset = DateTime.fromISO(at, { zone: 'utc' }).plus({ days: near }).setZone(zone).offset
    const candidate = wall.minus({ minutes: offset })
    if (candidate.setZone(zone).toFormat("yyyy-LL-dd'T'HH:mm") === `${day}T${time}`)
      instants.add(isoUtc(candidate))
  }
  const [first, second] = [...instants].sort()
  if (first && second) return { kind: 'ambiguous', at, first, second }
  return { kind: 'ok', at }
}

/** "happens twice in Europe/Amsterdam (at +02:00 and at +01:00)": the problem for `validate`, or undefined. */
export function wallTimeProblem(day: string, time: string, zone: string): string | undefined {
  const w = wallTime(day, time, zone)
  if (w.kind === 'missing')
    return `${day} ${time} does not exist in ${zone} (the clocks go forward that night)`
  if (w.kind === 'ambiguous') {
    const [first, second] = [w.first, w.second].map((at) => inZone(at, zone).toFormat('ZZ'))
    const read = w.at === w.first ? `the first (${first})` : `the second (${second})`
    return `${day} ${time} happens twice in ${zone} (the clocks go back that night: at ${first}, then at ${second}); it would be posted at ${read}`
  }
  return undefined
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
