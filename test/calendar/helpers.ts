import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DateTime } from 'luxon'
import { inWindow } from '../../src/calendar/grid.ts'
import type { Plan, Slot } from '../../src/calendar/types.ts'
import { type Campaign, campaignSchema } from '../../src/campaign/schema.ts'
import { type Quote, quoteSchema } from '../../src/quotes/schema.ts'

export function campaignOf(over: Record<string, unknown> = {}): Campaign {
  return campaignSchema.parse({
    id: 'camp',
    name: 'Test campaign',
    hashtags: ['#NGOVoices'],
    timezone: 'Europe/Amsterdam',
    statement_url: 'https://example.org/s',
    days: [{ date: '2022-12-05' }, { date: '2022-12-06' }, { date: '2022-12-07' }],
    windows: [
      { start: '09:00', end: '12:30' },
      { start: '14:00', end: '18:00' },
    ],
    min_gap_minutes: 90,
    max_threads_per_day: 3,
    platforms: { x: { account: '@demo' }, bluesky: { account: 'demo.bsky.social' } },
    ...over,
  })
}

export function quoteOf(id: string, over: Record<string, unknown> = {}): Quote {
  return quoteSchema.parse({
    id,
    text: `Words of ${id}.`,
    language: 'en',
    organisation: { name: `Org of ${id}` },
    source: { title: 'Test' },
    consent: { status: 'granted' },
    ...over,
  })
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'ngovoices-calendar-'))
}

/** Every hard rule a plan must keep, as readable violations (empty when the plan keeps them all). */
export function ruleViolations(plan: Plan, campaign: Campaign, quotes: Quote[]): string[] {
  const byId = new Map(quotes.map((q) => [q.id, q]))
  const live = plan.slots.filter((s) => s.status !== 'cancelled')
  const days = new Set(campaign.days.map((d) => d.date))
  return [
    ...live.flatMap((s) => [
      ...placeViolations(s, campaign, days),
      ...quoteRuleViolations(s, byId.get(s.quoteId), campaign),
    ]),
    ...spreadViolations(live, campaign, days),
    ...coverageViolations(plan, quotes),
  ]
}

/** The slot's own shape: a UTC instant, its thread id, its local day, a session day. */
function placeViolations(s: Slot, campaign: Campaign, days: Set<string>): string[] {
  const out: string[] = []
  const local = DateTime.fromISO(s.at, { zone: 'utc' }).setZone(campaign.timezone)
  if (!s.at.endsWith('Z')) out.push(`${s.threadId}: at is not UTC (${s.at})`)
  if (s.threadId !== `${campaign.id}-${s.quoteId}`) out.push(`${s.threadId}: thread id`)
  if (local.toFormat('yyyy-LL-dd') !== s.day) out.push(`${s.threadId}: day ${s.day} is not the local day`)
  if (!days.has(s.day)) out.push(`${s.threadId}: ${s.day} is not a session day`)
  return out
}

/** What the slot's quote asks: consent, complete, its pin, the windows, its embargo. */
function quoteRuleViolations(s: Slot, q: Quote | undefined, campaign: Campaign): string[] {
  if (!q) return []
  const out: string[] = []
  const zone = campaign.timezone
  const local = DateTime.fromISO(s.at, { zone: 'utc' }).setZone(zone)
  if (q.consent.status !== 'granted') out.push(`${s.threadId}: consent ${q.consent.status}`)
  if (q.incomplete) out.push(`${s.threadId}: incomplete`)
  if (q.pin && !q.pin.includes('T') && q.pin !== s.day)
    out.push(`${s.threadId}: pinned to ${q.pin}, on ${s.day}`)
  if (q.pin?.includes('T') && q.pin !== local.toFormat("yyyy-LL-dd'T'HH:mm"))
    out.push(`${s.threadId}: pin ${q.pin}`)
  if (!q.pin && !inWindow(campaign, local.toFormat('HH:mm'))) out.push(`${s.threadId}: outside the windows`)
  if (q.embargo_until) {
    const until = DateTime.fromISO(q.embargo_until, { zone })
    if (local < until) out.push(`${s.threadId}: before its embargo ${q.embargo_until}`)
  }
  return out
}

/** Threads a day, and the minimum gap between two threads on an account they share. */
function spreadViolations(live: Slot[], campaign: Campaign, days: Set<string>): string[] {
  const out: string[] = []
  for (const d of days) {
    const n = live.filter((s) => s.day === d).length
    if (n > campaign.max_threads_per_day) out.push(`${d}: ${n} threads > max ${campaign.max_threads_per_day}`)
  }
  const sorted = [...live].sort((a, b) => a.at.localeCompare(b.at))
  for (const [i, a] of sorted.entries()) {
    for (const b of sorted.slice(i + 1)) {
      const minutes = (Date.parse(b.at) - Date.parse(a.at)) / 60_000
      if (minutes < campaign.min_gap_minutes && a.platforms.some((p) => b.platforms.includes(p))) {
        out.push(`${a.threadId} and ${b.threadId}: ${minutes} min apart`)
      }
    }
  }
  return out
}

/** One slot a quote, and nothing silently dropped: every quote is either in a slot or listed with a reason. */
function coverageViolations(plan: Plan, quotes: Quote[]): string[] {
  const out: string[] = []
  const ids = plan.slots.map((s) => s.quoteId)
  if (new Set(ids).size !== ids.length) out.push('a quote has two slots')
  for (const q of quotes) {
    if (!ids.includes(q.id) && !plan.unplaced.some((u) => u.quoteId === q.id))
      out.push(`${q.id}: neither placed nor listed`)
  }
  for (const u of plan.unplaced) if (u.reason.length < 10) out.push(`${u.quoteId}: no reason given`)
  return out
}
