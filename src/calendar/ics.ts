import icalGenerator from 'ical-generator'
import { DateTime } from 'luxon'
import type { Campaign } from '../campaign/schema.ts'
import type { Quote } from '../quotes/schema.ts'
import { cardPathFor } from './card-path.ts'
import { orgKey } from './eligibility.ts'
import type { Plan } from './types.ts'
import { vtimezone } from './vtimezone.ts'

// @NOTE One event per thread, at its local time with TZID and a VTIMEZONE, so a comms officer's calendar
// shows The Hague's 09:00 as 09:00 there whatever zone their laptop is in. Dropped threads are left out.

const EVENT_MINUTES = 15

/** RFC 5545 DTSTAMP: the moment the file was written, in UTC (`…Z`). */
function utcStamp(at: Date): string {
  return `${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')}`
}

export function planIcs(plan: Plan, campaign: Campaign, quotes: Quote[], written = new Date()): string {
  const byId = new Map(quotes.map((q) => [q.id, q]))
  const live = plan.slots.filter((s) => s.status !== 'cancelled')
  const first = live[0]?.at ?? campaign.days[0]?.date ?? '2000-01-01'
  const last = live.at(-1)?.at ?? campaign.days.at(-1)?.date ?? first
  const cal = icalGenerator({
    name: `${campaign.name} (${campaign.id})`,
    prodId: { company: 'ngovoices', product: 'plan', language: 'EN' },
    timezone: { name: campaign.timezone, generator: (tz) => vtimezone(tz, first, last) },
  })
  for (const s of live) {
    const q = byId.get(s.quoteId)
    const start = DateTime.fromISO(s.at, { zone: 'utc' }).setZone(campaign.timezone)
    const org = q ? orgKey(q) : s.quoteId
    cal.createEvent({
      id: `${s.threadId}@ngovoices`,
      start,
      end: start.plus({ minutes: EVENT_MINUTES }),
      timezone: campaign.timezone,
      summary:
        `${campaign.hashtags[0] ?? ''} ${org}: ${s.quoteId}${s.status === 'posted' ? ' (posted)' : ''}`.trim(),
      description: [
        q ? `“${q.text}”` : '(the quote is no longer in the bank)',
        q?.speaker?.anonymous
          ? q.speaker.role
          : [q?.speaker?.name, q?.organisation.name].filter(Boolean).join(', '),
        campaign.hashtags.join(' '),
        '',
        `Card: ${cardPathFor(s.quoteId)}`,
        `Platforms: ${s.platforms.join(', ')}`,
        `Thread: ${s.threadId} (${s.status}${s.locked ? ', locked' : ''})`,
      ]
        .filter((l): l is string => l !== undefined)
        .join('\n'),
    })
  }
  // @NOTE ical-generator writes DTSTAMP in the calendar's zone with no Z (a floating time, which RFC 5545 does
  // not allow there and calendar clients misread); we write it in UTC ourselves.
  return cal.toString().replace(/^DTSTAMP:[^\r\n]*/gm, `DTSTAMP:${utcStamp(written)}`)
}
