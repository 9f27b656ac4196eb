import type { Campaign } from '../campaign/schema.ts'
import { hhmm, localToUtc, minutesOf } from '../core/time.ts'

// @NOTE "Better hours": the opening of each posting window, morning first, then the next step of each
// window in turn (09:00, 14:00, 10:30, 15:30, …). The morning opening is when people at the session and the
// press read their feeds before the plenary starts; the afternoon opening catches the lunch break. Going
// window by window spreads a day's threads over the day instead of bunching them in the morning.

export interface GridTime {
  /** Local HH:mm in the campaign's zone. */
  time: string
  /** UTC instant. */
  at: string
}

/** Minutes between two candidate times: the minimum gap, so neighbours in a window never clash. */
function step(campaign: Campaign): number {
  return campaign.min_gap_minutes > 0 ? campaign.min_gap_minutes : 30
}

/** A day's candidate times, best first. Wall times that do not exist that day (DST gap) are left out. */
export function dayGrid(campaign: Campaign, day: string): GridTime[] {
  const windows = [...campaign.windows].sort((a, b) => minutesOf(a.start) - minutesOf(b.start))
  const columns = windows.map((w) => {
    const start = minutesOf(w.start)
    const end = minutesOf(w.end)
    const times: number[] = [start]
    for (let t = start + step(campaign); t < end; t += step(campaign)) times.push(t)
    return times
  })
  const ranked: GridTime[] = []
  const longest = Math.max(...columns.map((c) => c.length))
  for (let i = 0; i < longest; i++) {
    for (const col of columns) {
      const m = col[i]
      if (m === undefined) continue
      const time = hhmm(m)
      const at = localToUtc(day, time, campaign.timezone)
      if (at && !ranked.some((g) => g.at === at)) ranked.push({ time, at })
    }
  }
  return ranked
}

/** Whether a local time falls inside one of the posting windows (end included). */
export function inWindow(campaign: Campaign, time: string): boolean {
  const m = minutesOf(time)
  return campaign.windows.some((w) => m >= minutesOf(w.start) && m <= minutesOf(w.end))
}
