import { DateTime } from 'luxon'

// @NOTE ical-generator writes TZID times but leaves the VTIMEZONE to a generator; we build it from luxon's
// zone data (the same data that planned the slots), listing each offset change around the campaign as a
// one-off observance. No recurrence rules: a zone's rules change over the years, explicit dates do not lie.

const DAY = 86_400_000

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`
}

/** The instants (ms) where `zone` changes offset between `from` and `to`. */
function transitions(zone: string, from: number, to: number): number[] {
  const offset = (ms: number) => DateTime.fromMillis(ms, { zone }).offset
  const found: number[] = []
  for (let t = from; t < to; t += DAY) {
    let lo = t
    let hi = Math.min(t + DAY, to)
    if (offset(lo) === offset(hi)) continue
    // Down to the millisecond, so `hi` is the first instant of the new offset.
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2)
      if (offset(mid) === offset(lo)) lo = mid
      else hi = mid
    }
    found.push(hi)
  }
  return found
}

function observance(zone: string, at: number, fromOffset: number): string[] {
  const dt = DateTime.fromMillis(at, { zone })
  const kind = dt.isInDST ? 'DAYLIGHT' : 'STANDARD'
  // DTSTART is the wall time the change happens at, read in the offset before it.
  const wall = DateTime.fromMillis(at, { zone: 'utc' }).plus({ minutes: fromOffset })
  return [
    `BEGIN:${kind}`,
    `DTSTART:${wall.toFormat("yyyyLLdd'T'HHmmss")}`,
    `TZOFFSETFROM:${offsetText(fromOffset)}`,
    `TZOFFSETTO:${offsetText(dt.offset)}`,
    `TZNAME:${dt.setLocale('en-GB').toFormat('ZZZZ')}`,
    `END:${kind}`,
  ]
}

/** A VTIMEZONE for `zone` valid from a year before `fromIso` to a year after `toIso`. */
export function vtimezone(zone: string, fromIso: string, toIso: string): string {
  const from = DateTime.fromISO(fromIso, { zone: 'utc' }).minus({ years: 1 }).startOf('day').toMillis()
  const to = DateTime.fromISO(toIso, { zone: 'utc' }).plus({ years: 1 }).toMillis()
  const startOffset = DateTime.fromMillis(from, { zone }).offset
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`, ...observance(zone, from, startOffset)]
  for (const t of transitions(zone, from, to)) {
    lines.push(...observance(zone, t, DateTime.fromMillis(t - 1, { zone }).offset))
  }
  lines.push('END:VTIMEZONE')
  return lines.join('\r\n')
}
