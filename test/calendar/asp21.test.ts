import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import { orgKey } from '../../src/calendar/eligibility.ts'
import { planCampaign } from '../../src/calendar/planner.ts'
import { loadBank } from '../../src/quotes/load.ts'
import { ruleViolations } from './helpers.ts'

// The sample bank: 11 quotes, one flagged incomplete (burundi-resources), one with consent pending
// (cicc-cooperation-investigations), 9 postable; 7 days × 3 threads, gap 90 min.
const bank = await loadBank('fixtures/asp21')
const { campaign, quotes } = bank
const plan = planCampaign(campaign, quotes)
const local = (at: string) => DateTime.fromISO(at, { zone: 'utc' }).setZone(campaign.timezone)
const slotOf = (id: string) => plan.slots.find((s) => s.quoteId === id)

describe('the ASP21 plan', () => {
  it('loads the whole bank', () => {
    expect(bank.problems.filter((p) => p.severity === 'error')).toEqual([])
    expect(quotes).toHaveLength(11)
  })

  it('places every eligible quote, once, and none of the others', () => {
    const eligible = quotes.filter((q) => q.consent.status === 'granted' && !q.incomplete).map((q) => q.id)
    expect(eligible).toHaveLength(9)
    expect(plan.slots.map((s) => s.quoteId).sort()).toEqual([...eligible].sort())
    expect(plan.slots.every((s) => s.status === 'planned' && !s.locked)).toBe(true)
    expect(plan.slots.every((s) => s.platforms.join() === 'x,bluesky')).toBe(true)
  })

  it('leaves out the incomplete and the pending-consent quote, each with its reason', () => {
    expect(plan.unplaced.map((u) => u.quoteId)).toEqual([
      'burundi-resources',
      'cicc-cooperation-investigations',
    ])
    expect(plan.unplaced[0]?.reason).toMatch(/^marked incomplete: The source breaks off/)
    expect(plan.unplaced[1]?.reason).toMatch(/^consent is pending/)
  })

  it('keeps every rule: session days, windows, threads a day, gap, UTC instants, thread ids', () => {
    expect(ruleViolations(plan, campaign, quotes)).toEqual([])
  })

  it('puts themed quotes on their theme day', () => {
    // cooperation → Cooperation (9 Dec); support → Opening (5 Dec).
    expect(slotOf('ajar-philippines-resume')?.day).toBe('2022-12-09')
    expect(slotOf('cicc-political-support')?.day).toBe('2022-12-05')
  })

  it('never posts the same organisation twice in a day while other days have room', () => {
    const seen = new Set<string>()
    for (const s of plan.slots) {
      const q = quotes.find((x) => x.id === s.quoteId)
      const key = `${s.day} ${q ? orgKey(q) : ''}`
      expect(seen.has(key), key).toBe(false)
      seen.add(key)
    }
  })

  it('gives the highest priority the first day and the best hours (morning opening, then afternoon opening)', () => {
    // nur (5, no theme day) is placed first: 5 Dec 09:00; political support (5, theme support) the next best hour.
    expect(local(slotOf('nur-rohingya-victim')?.at ?? '').toFormat('yyyy-LL-dd HH:mm')).toBe(
      '2022-12-05 09:00',
    )
    expect(local(slotOf('cicc-political-support')?.at ?? '').toFormat('yyyy-LL-dd HH:mm')).toBe(
      '2022-12-05 14:00',
    )
    const firstDay = plan.slots.filter((s) => s.day === '2022-12-05')
    const lowest = Math.min(...firstDay.map((s) => quotes.find((q) => q.id === s.quoteId)?.priority ?? 0))
    expect(lowest).toBe(5)
  })

  it('is the same plan for the same input, and for the bank in another order only the same slots', () => {
    expect(planCampaign(campaign, quotes)).toEqual(plan)
    expect(JSON.stringify(planCampaign(structuredClone(campaign), structuredClone(quotes)))).toBe(
      JSON.stringify(plan),
    )
  })
})
