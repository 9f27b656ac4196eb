import { DateTime } from 'luxon'
import type { Campaign } from '../campaign/schema.ts'
import { localClock, localDay } from '../core/time.ts'
import type { Quote } from '../quotes/schema.ts'
import { orgKey } from './eligibility.ts'
import type { Plan, Slot } from './types.ts'

// @NOTE The plan as a comms officer reads a week: session days across, local times down, each cell naming
// the organisation, the platforms and whether the slot is planned, locked, posted or cancelled.

const WIDTH = 12
const SHORT: Record<string, string> = { x: 'x', bluesky: 'bsky' }

function clip(text: string, width = WIDTH): string {
  const chars = [...text]
  return chars.length > width ? `${chars.slice(0, width - 1).join('')}…` : text.padEnd(width)
}

function state(s: Slot): string {
  if (s.status !== 'planned') return s.status
  return s.locked ? 'locked' : 'planned'
}

export function weekTable(plan: Plan, campaign: Campaign, quotes: Quote[]): string {
  const zone = plan.timezone
  const byId = new Map(quotes.map((q) => [q.id, q]))
  const days = [
    ...new Set([...campaign.days.map((d) => d.date), ...plan.slots.map((s) => localDay(s.at, zone))]),
  ].sort()
  const times = [...new Set(plan.slots.map((s) => localClock(s.at, zone)))].sort()
  const cell = (day: string, time: string): string[] => {
    const here = plan.slots.filter((s) => localDay(s.at, zone) === day && localClock(s.at, zone) === time)
    if (here.length === 0) return ['', '', '']
    const q = (s: Slot) => byId.get(s.quoteId)
    return [
      here
        .map((s) => {
          const quote = q(s)
          return quote ? orgKey(quote) : s.quoteId
        })
        .join('+'),
      [...new Set(here.flatMap((s) => s.platforms))].map((p) => SHORT[p] ?? p).join(' '),
      here.map(state).join('+'),
    ]
  }
  const row = (first: string, cells: string[]) =>
    `${first.padEnd(6)} | ${cells.map((c) => clip(c)).join(' | ')} |`
  const rule = `${'-'.repeat(6)}-+-${days.map(() => '-'.repeat(WIDTH)).join('-+-')}-+`
  const themes = new Map(campaign.days.map((d) => [d.date, d.theme ?? '']))
  const lines = [
    row(
      '',
      days.map((d) => DateTime.fromISO(d).setLocale('en-GB').toFormat('ccc dd LLL')),
    ),
    row(
      '',
      days.map((d) => themes.get(d) ?? '(not a session day)'),
    ),
    rule,
  ]
  for (const time of times) {
    const cells = days.map((d) => cell(d, time))
    for (let i = 0; i < 3; i++)
      lines.push(
        row(
          i === 0 ? time : '',
          cells.map((c) => c[i] ?? ''),
        ),
      )
    lines.push(rule)
  }
  const counts = days.map((d) =>
    String(plan.slots.filter((s) => s.status !== 'cancelled' && localDay(s.at, zone) === d).length),
  )
  lines.push(
    row(
      'total',
      counts.map((c) => `${c}/${campaign.max_threads_per_day}`),
    ),
  )
  // Both offsets when the session spans a clock change, so nobody assumes one offset for the whole week.
  const offsets = [
    ...new Set(
      plan.slots.map((s) => `UTC${DateTime.fromISO(s.at, { zone: 'utc' }).setZone(zone).toFormat('ZZ')}`),
    ),
  ]
  return [
    `Times in ${zone}${offsets.length > 0 ? ` (${offsets.join(', ')})` : ''}, whatever this machine's zone.`,
    ...lines,
  ].join('\n')
}
