import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { planCampaign } from '../../src/calendar/planner.ts'
import type { Plan, Slot } from '../../src/calendar/types.ts'
import { loadBank } from '../../src/quotes/load.ts'
import type { Quote } from '../../src/quotes/schema.ts'
import { campaignOf, quoteOf, ruleViolations } from './helpers.ts'

const { campaign, quotes } = await loadBank('fixtures/asp21')

/** Slots of `before` that are still planned in `after` but at another instant. */
function moved(before: Plan, after: Plan): string[] {
  const now = new Map(after.slots.map((s) => [s.threadId, s.at]))
  return before.slots
    .filter((s) => now.has(s.threadId) && now.get(s.threadId) !== s.at)
    .map((s) => s.threadId)
}

const lock = (plan: Plan, ids: string[]): Plan => ({
  ...plan,
  slots: plan.slots.map((s) => (ids.includes(s.quoteId) ? { ...s, locked: true } : s)),
})

describe('re-planning moves as little as it can', () => {
  const first = planCampaign(campaign, quotes)

  it('gives the same plan back when nothing changed', () => {
    expect(planCampaign(campaign, quotes, first)).toEqual(first)
  })

  it('adds a new quote in a free slot without moving any other', () => {
    const added = [...quotes, quoteOf('new-one', { priority: 5, themes: ['support'] })]
    const next = planCampaign(campaign, added, first)
    expect(moved(first, next)).toEqual([])
    expect(next.slots.find((s) => s.quoteId === 'new-one')?.status).toBe('planned')
    expect(ruleViolations(next, campaign, added)).toEqual([])
  })

  it('a new quote pinned onto a taken hour displaces at most two unlocked slots, and never a locked one', () => {
    const taken = first.slots.find((s) => s.quoteId === 'nur-rohingya-victim')
    // 09:45 sits within 90 minutes of both 09:00 and 10:30 slots.
    const added = [...quotes, quoteOf('pinned-new', { pin: '2022-12-06T09:45' })]
    const next = planCampaign(campaign, added, first)
    expect(moved(first, next).length).toBeLessThanOrEqual(2)
    expect(ruleViolations(next, campaign, added)).toEqual([])

    const locked = lock(first, ['ajar-myanmar-prioritise'])
    const pinnedOnLocked = [...quotes, quoteOf('pinned-new', { pin: '2022-12-06T09:00' })]
    const again = planCampaign(campaign, pinnedOnLocked, locked)
    expect(again.slots.find((s) => s.quoteId === 'ajar-myanmar-prioritise')).toEqual(
      locked.slots.find((s) => s.quoteId === 'ajar-myanmar-prioritise'),
    )
    expect(again.unplaced.find((u) => u.quoteId === 'pinned-new')?.reason).toMatch(
      /pinned to 2022-12-06T09:00, but/,
    )
    expect(taken).toBeDefined()
  })

  it('removing a quote frees its slot and moves nothing else', () => {
    const fewer = quotes.filter((q) => q.id !== 'alhaq-palestine-selectivity')
    const next = planCampaign(campaign, fewer, first)
    expect(moved(first, next)).toEqual([])
    expect(next.slots.some((s) => s.quoteId === 'alhaq-palestine-selectivity')).toBe(false)
    expect(next.warnings?.some((w) => w.includes('alhaq-palestine-selectivity'))).toBe(true)
  })

  it('keeps a dropped thread dropped, posted and past slots where they were, and a staff move while it is valid', () => {
    const target = first.slots.find((s) => s.quoteId === 'cicc-more-with-less')
    const other = first.slots.find((s) => s.quoteId === 'cicc-resources-mandate')
    if (!target || !other) throw new Error('fixture changed')
    const staffMoved = { ...other, at: '2022-12-11T13:00:00Z', day: '2022-12-11' } // 14:00 CET on the free Sunday
    const edited: Plan = {
      ...first,
      slots: first.slots.map((s): Slot => {
        if (s.quoteId === target.quoteId) return { ...s, status: 'cancelled' }
        if (s.quoteId === 'nur-rohingya-victim') return { ...s, status: 'posted' }
        if (s.quoteId === other.quoteId) return staffMoved
        return s
      }),
    }
    const next = planCampaign(campaign, quotes, edited)
    expect(next.slots.filter((s) => s.quoteId === target.quoteId)).toEqual([
      { ...target, status: 'cancelled' },
    ])
    expect(next.slots.find((s) => s.quoteId === 'nur-rohingya-victim')?.status).toBe('posted')
    expect(next.slots.find((s) => s.quoteId === other.quoteId)?.at).toBe(staffMoved.at)
    expect(next.unplaced.some((u) => u.quoteId === target.quoteId)).toBe(false)
  })

  it('never places new quotes before `now`, and keeps the past as it was', () => {
    const now = '2022-12-08T12:00:00Z'
    const added = [...quotes, quoteOf('late-comer', { priority: 5 })]
    const next = planCampaign(campaign, added, first, { now })
    expect(moved(first, next)).toEqual([])
    const late = next.slots.find((s) => s.quoteId === 'late-comer')
    expect(Date.parse(late?.at ?? '')).toBeGreaterThanOrEqual(Date.parse(now))
  })
})

describe('re-planning, over random banks (fast-check)', () => {
  const orgs = ['A', 'B', 'C', 'D']
  const themes = ['budget', 'cooperation', 'victims']
  const quoteArb = (id: string) =>
    fc
      .record({
        org: fc.constantFrom(...orgs),
        priority: fc.integer({ min: 1, max: 5 }),
        themes: fc.subarray(themes),
        pinDay: fc.option(fc.integer({ min: 0, max: 3 }), { freq: 5 }),
      })
      .map(
        (r): Quote =>
          quoteOf(id, {
            organisation: { name: r.org },
            priority: r.priority,
            themes: r.themes,
            ...(r.pinDay === null ? {} : { pin: `2022-12-0${5 + r.pinDay}` }),
          }),
      )
  const setup = fc.record({
    days: fc.integer({ min: 1, max: 4 }),
    max: fc.integer({ min: 1, max: 4 }),
    gap: fc.constantFrom(30, 60, 90, 120),
    count: fc.integer({ min: 0, max: 18 }),
    seed: fc.array(quoteArb('x'), { minLength: 19, maxLength: 19 }),
    lockMask: fc.array(fc.boolean(), { minLength: 18, maxLength: 18 }),
    added: quoteArb('added'),
  })

  it('adding one quote moves at most two slots, locked slots never move, every rule still holds', () => {
    fc.assert(
      fc.property(setup, (s) => {
        const c = campaignOf({
          days: Array.from({ length: s.days }, (_, i) => ({
            date: `2022-12-0${5 + i}`,
            themes: i === 1 ? ['cooperation'] : [],
          })),
          max_threads_per_day: s.max,
          min_gap_minutes: s.gap,
        })
        const bank = s.seed.slice(0, s.count).map((q, i) => ({ ...q, id: `q${i}` }))
        const first = planCampaign(c, bank)
        const lockedIds = first.slots.filter((_, i) => s.lockMask[i]).map((x) => x.quoteId)
        const before = lock(first, lockedIds)
        const grown = [...bank, s.added]
        const next = planCampaign(c, grown, before)
        expect(moved(before, next).length).toBeLessThanOrEqual(2)
        for (const l of before.slots.filter((x) => x.locked)) {
          expect(next.slots.find((x) => x.threadId === l.threadId)).toEqual(l)
        }
        expect(ruleViolations(next, c, grown)).toEqual([])
        expect(planCampaign(c, grown, before)).toEqual(next)
      }),
      { numRuns: 300, seed: 20221205 },
    )
  })

  it('a bank of 600 over 20 days keeps every rule and re-plans to the same plan', () => {
    const c = campaignOf({
      days: Array.from({ length: 20 }, (_, i) => ({
        date: `2023-01-${String(i + 1).padStart(2, '0')}`,
        themes: i === 3 ? ['cooperation'] : [],
      })),
      max_threads_per_day: 28,
      min_gap_minutes: 15,
    })
    const bank = Array.from({ length: 600 }, (_, i) =>
      quoteOf(`big-${i}`, {
        organisation: { name: orgs[i % orgs.length] },
        priority: (i % 5) + 1,
        themes: i % 9 === 0 ? ['cooperation'] : [],
      }),
    )
    const first = planCampaign(c, bank)
    expect(first.slots.length + first.unplaced.length).toBe(600)
    expect(first.slots.length).toBe(560)
    expect(ruleViolations(first, c, bank)).toEqual([])
    expect(planCampaign(c, bank, first)).toEqual(first)
  })
})
