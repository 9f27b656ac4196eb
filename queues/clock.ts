import { DateTime } from 'luxon'

// @NOTE A job's delay comes from a clock. Live: the slot itself. Rehearsal: the campaign's week replayed on a
// compressed clock, campaign instant → origin + (slot − weekStart) / speed, so a week passes in minutes.

export interface Clock {
  readonly mode: 'live' | 'rehearsal'
  /** The real epoch ms at which a slot (UTC instant) is due. */
  dueAt(slotAt: string): number
  /** The campaign instant a real instant stands for (the real instant itself when live). */
  campaignTime(realMs: number): number
}

export const liveClock: Clock = {
  mode: 'live',
  dueAt: (slotAt) => Date.parse(slotAt),
  campaignTime: (realMs) => realMs,
}

/** 7 days in 2 minutes. */
export const DEFAULT_SPEED = (7 * 24 * 60) / 2

export function rehearsalClock(weekStart: number, origin: number, speed: number): Clock {
  if (!(speed > 0)) throw new RangeError(`speed must be a number above 0, got ${speed}`)
  return {
    mode: 'rehearsal',
    dueAt: (slotAt) => Math.round(origin + (Date.parse(slotAt) - weekStart) / speed),
    campaignTime: (realMs) => weekStart + (realMs - origin) * speed,
  }
}

/** Midnight of the first session day in the campaign's zone, as epoch ms. */
export function weekStartOf(firstDay: string, timezone: string): number {
  const dt = DateTime.fromISO(firstDay, { zone: timezone })
  if (!dt.isValid) throw new RangeError(`cannot read ${firstDay} in zone ${timezone}: ${dt.invalidReason}`)
  return dt.startOf('day').toMillis()
}

/** A UTC instant shown in the campaign's zone, e.g. "Mon 5 Dec 09:30" (+ " Europe/Amsterdam" when asked). */
export function localTime(ms: number, timezone: string, withZone = false): string {
  const shown = DateTime.fromMillis(ms, { zone: timezone }).toFormat('ccc d LLL yyyy HH:mm')
  return withZone ? `${shown} ${timezone}` : shown
}
