// How planning cost grows with the bank: `npx tsx test/calendar/bench-plan.ts <quotes> <days>`.
// A fresh plan, then a re-plan after adding one quote (what `ngovoices plan` does every time).

import { planCampaign } from '../../src/calendar/planner.ts'
import { campaignSchema } from '../../src/campaign/schema.ts'
import { quoteSchema } from '../../src/quotes/schema.ts'

const n = Number(process.argv[2] ?? 1000)
const days = Number(process.argv[3] ?? 30)
const perDay = Math.ceil(n / days) + 2
const start = new Date('2025-01-01T00:00:00Z')
const campaign = campaignSchema.parse({
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
const quotes = Array.from({ length: n }, (_, i) =>
  quoteSchema.parse({
    id: `q${i}`,
    text: 'x',
    language: 'en',
    organisation: { name: `O${i % 40}` },
    themes: i % 5 === 0 ? ['t1'] : [],
    source: { title: 't' },
    consent: { status: 'granted' },
    priority: (i % 5) + 1,
  }),
)
let t = performance.now()
const plan = planCampaign(campaign, quotes)
const fresh = performance.now() - t
t = performance.now()
const again = planCampaign(
  campaign,
  [
    ...quotes,
    quoteSchema.parse({
      id: 'extra',
      text: 'x',
      language: 'en',
      organisation: { name: 'New' },
      source: { title: 't' },
      consent: { status: 'granted' },
    }),
  ],
  plan,
)
const re = performance.now() - t
console.log(
  `n=${n} days=${days} perDay=${perDay} gap=${campaign.min_gap_minutes}: placed ${plan.slots.length}, unplaced ${plan.unplaced.length}; fresh ${fresh.toFixed(0)} ms, re-plan +1 ${re.toFixed(0)} ms (placed ${again.slots.length})`,
)
