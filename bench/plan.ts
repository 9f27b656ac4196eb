import { planCampaign } from '../src/calendar/planner.ts'
import { type Campaign, campaignSchema } from '../src/campaign/schema.ts'
import { type Quote, type QuoteInput, quoteSchema } from '../src/quotes/schema.ts'
import { growth } from './growth.ts'
import { count, ms, peakRssMb, steady } from './measure.ts'
import type { Section } from './report.ts'

// How planning cost grows with the bank: a fresh plan, then a re-plan after adding one quote (what
// `ngovoices plan` does every time a quote is added). The campaign is stretched to fit each bank, N quotes over
// D days with room for all of them, so the figures time placing every quote, not giving up on most.

/** Quotes to plan, and the session days they are planned over. */
export const PLAN_SIZES = [
  { quotes: 150, days: 7 },
  { quotes: 1000, days: 30 },
  { quotes: 10_000, days: 100 },
]

function campaignFor(n: number, days: number): Campaign {
  const perDay = Math.ceil(n / days) + 2
  const start = new Date('2025-01-01T00:00:00Z')
  return campaignSchema.parse({
    id: 'big',
    name: 'Big',
    hashtags: ['#NGOVoices'],
    timezone: 'Europe/Amsterdam',
    statement_url: 'https://e.org',
    days: Array.from({ length: days }, (_, i) => ({
      date: new Date(start.getTime() + i * 864e5).toISOString().slice(0, 10),
      themes: i % 7 === 0 ? ['t1'] : [],
    })),
    windows: [{ start: '00:00', end: '23:59' }],
    min_gap_minutes: Math.max(1, Math.floor(1400 / perDay)),
    max_threads_per_day: perDay,
    platforms: { x: { account: '@a' }, bluesky: { account: 'a.bsky.social' } },
  })
}

/** A quote with nothing for the rules to weigh but what `more` gives it. */
const quote = (id: string, organisation: string, more: Partial<QuoteInput> = {}): Quote =>
  quoteSchema.parse({
    id,
    text: 'x',
    language: 'en',
    organisation: { name: organisation },
    source: { title: 't' },
    consent: { status: 'granted' },
    ...more,
  })

// 40 organisations, a theme on every fifth quote and all five priorities: the rules have choices to weigh.
const quotesFor = (n: number): Quote[] =>
  Array.from({ length: n }, (_, i) =>
    quote(`q${i}`, `O${i % 40}`, { themes: i % 5 === 0 ? ['t1'] : [], priority: (i % 5) + 1 }),
  )

const extra = quote('extra', 'New')

export async function planSection(): Promise<Section> {
  const rows: string[][] = []
  const fresh: number[] = []
  const replan: number[] = []
  for (const { quotes: n, days } of PLAN_SIZES) {
    const campaign = campaignFor(n, days)
    const quotes = quotesFor(n)
    const first = await steady(() => planCampaign(campaign, quotes))
    const again = await steady(() => planCampaign(campaign, [...quotes, extra], first.value))
    fresh.push(first.ms)
    replan.push(again.ms)
    rows.push([
      count(n),
      String(days),
      `${campaign.max_threads_per_day} / ${campaign.min_gap_minutes} min`,
      `${count(first.value.slots.length)} / ${first.value.unplaced.length}`,
      ms(first.ms),
      ms(again.ms),
      `${count(again.value.slots.length)} / ${again.value.unplaced.length}`,
      peakRssMb(),
    ])
  }
  const sizes = PLAN_SIZES.map((s) => s.quotes)
  return {
    title: 'Plan',
    intro:
      '`planCampaign` on a generated campaign stretched to fit the bank (threads a day and gap as shown, one ' +
      'window of the whole day): a fresh plan, then a re-plan after adding one quote with the plan before passed ' +
      'in. Each size has its own campaign (days, threads a day, gap), so the rows compare whole campaigns. ' +
      'Median of 3 runs after one warm-up run.',
    header: [
      'quotes',
      'days',
      'a day / gap',
      'placed / unplaced',
      'fresh plan (ms)',
      're-plan +1 (ms)',
      'placed / unplaced after +1',
      'peak RSS (MB)',
    ],
    rows,
    notes: [
      growth('Fresh plan', sizes, fresh, 'quotes'),
      growth('Re-plan after adding one', sizes, replan, 'quotes'),
    ],
    peakRssMb: peakRssMb(),
  }
}
