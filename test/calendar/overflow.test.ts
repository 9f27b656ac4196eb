import { describe, expect, it } from 'vitest'
import { planCsv } from '../../src/calendar/csv.ts'
import { planText } from '../../src/calendar/plan-file.ts'
import { planCampaign } from '../../src/calendar/planner.ts'
import { loadBank } from '../../src/quotes/load.ts'
import { campaignOf, quoteOf, ruleViolations } from './helpers.ts'

describe('a bank larger than the calendar', () => {
  it('fills the calendar and reports every quote left over, by name, with the reason', async () => {
    const { campaign, quotes } = await loadBank('fixtures/calendar/overflow')
    expect(quotes).toHaveLength(7)
    const plan = planCampaign(campaign, quotes)
    // 2 days × 2 threads a day.
    expect(plan.slots).toHaveLength(4)
    expect(plan.unplaced).toHaveLength(3)
    expect(ruleViolations(plan, campaign, quotes)).toEqual([])
    for (const u of plan.unplaced)
      expect(u.reason).toMatch(/^no free slot: the calendar is full \(2 days × max_threads_per_day 2/)
    // The lowest priorities are the ones left over (priority = i % 5 + 1: overflow-4 is 5, overflow-5 is 1).
    const left = plan.unplaced.map((u) => quotes.find((q) => q.id === u.quoteId)?.priority ?? 0)
    const placed = plan.slots.map((s) => quotes.find((q) => q.id === s.quoteId)?.priority ?? 0)
    expect(Math.max(...left)).toBeLessThanOrEqual(Math.min(...placed))
    // Nothing is silently dropped in the file or the spreadsheet either.
    const text = planText(plan, { quotes })
    const csv = planCsv(plan, quotes)
    for (const q of quotes) {
      expect(text).toContain(q.id)
      expect(csv).toContain(`,${q.id},`)
    }
    expect(csv.match(/,unplaced,/g)).toHaveLength(3)
  })

  it('an embargo that outlasts the free slots says so', () => {
    const c = campaignOf({ days: [{ date: '2022-12-05' }, { date: '2022-12-06' }], max_threads_per_day: 1 })
    const quotes = [
      quoteOf('early', { priority: 5 }),
      quoteOf('late', { priority: 5 }),
      quoteOf('held', { embargo_until: '2022-12-06' }),
    ]
    const plan = planCampaign(c, quotes)
    expect(plan.unplaced).toEqual([
      {
        quoteId: 'held',
        reason: expect.stringMatching(
          /^no free slot after its embargo \(2022-12-06 00:00 Europe\/Amsterdam\)/,
        ),
      },
    ])
  })
})
