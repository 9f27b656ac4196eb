import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import { dayGrid } from '../../src/calendar/grid.ts'
import { planCampaign } from '../../src/calendar/planner.ts'
import { campaignOf, quoteOf, ruleViolations } from './helpers.ts'

const localOf = (at: string | undefined, zone = 'Europe/Amsterdam') =>
  DateTime.fromISO(at ?? '', { zone: 'utc' })
    .setZone(zone)
    .toFormat('yyyy-LL-dd HH:mm')

describe('planning rules, one by one', () => {
  it('ranks the hours: each window opening (morning first), then the next step of each window', () => {
    expect(dayGrid(campaignOf(), '2022-12-05').map((g) => g.time)).toEqual([
      '09:00',
      '14:00',
      '10:30',
      '15:30',
      '12:00',
      '17:00',
    ])
  })

  it('honours a pinned slot and a pinned day before anything else', () => {
    const c = campaignOf({ days: [{ date: '2022-12-05' }, { date: '2022-12-06' }] })
    const quotes = [
      quoteOf('top', { priority: 5 }),
      quoteOf('slot-pin', { priority: 1, pin: '2022-12-05T09:00' }),
      quoteOf('day-pin', { priority: 1, pin: '2022-12-06' }),
    ]
    const plan = planCampaign(c, quotes)
    expect(ruleViolations(plan, c, quotes)).toEqual([])
    expect(localOf(plan.slots.find((s) => s.quoteId === 'slot-pin')?.at)).toBe('2022-12-05 09:00')
    expect(plan.slots.find((s) => s.quoteId === 'day-pin')?.day).toBe('2022-12-06')
    // The top-priority quote gets the best hour still free, not the pinned one.
    expect(localOf(plan.slots.find((s) => s.quoteId === 'top')?.at)).toBe('2022-12-05 14:00')
  })

  it('refuses a pin outside the session, or at a wall time the clock change skips, with the reason', () => {
    const c = campaignOf({ days: [{ date: '2023-03-26' }], windows: [{ start: '01:00', end: '05:00' }] })
    const quotes = [
      quoteOf('off-session', { pin: '2023-04-01' }),
      quoteOf('in-the-gap', { pin: '2023-03-26T02:30' }),
      quoteOf('nonsense', { pin: 'next tuesday' }),
    ]
    const plan = planCampaign(c, quotes)
    const why = Object.fromEntries(plan.unplaced.map((u) => [u.quoteId, u.reason]))
    expect(why['off-session']).toMatch(/not a session day/)
    expect(why['in-the-gap']).toMatch(/does not exist in Europe\/Amsterdam/)
    expect(why.nonsense).toMatch(/neither a day/)
    // The grid (01:00, 02:30, 04:00) skips 02:30 that day: clocks jump from 02:00 to 03:00.
    expect(dayGrid(c, '2023-03-26').map((g) => g.time)).toEqual(['01:00', '04:00'])
  })

  it('sends a themed quote to its theme day even when an earlier day is free', () => {
    const c = campaignOf({ days: [{ date: '2022-12-05' }, { date: '2022-12-06', themes: ['cooperation'] }] })
    const quotes = [quoteOf('coop', { themes: ['cooperation'], priority: 5 })]
    expect(planCampaign(c, quotes).slots[0]?.day).toBe('2022-12-06')
  })

  it('holds a theme day for its themed quotes against an unthemed quote of higher priority', () => {
    const c = campaignOf({
      days: [{ date: '2022-12-05', themes: ['cooperation'] }, { date: '2022-12-06' }],
      max_threads_per_day: 1,
    })
    const quotes = [
      quoteOf('loud', { priority: 5 }),
      quoteOf('coop', { priority: 1, themes: ['cooperation'] }),
    ]
    const plan = planCampaign(c, quotes)
    expect(plan.slots.map((s) => [s.quoteId, s.day])).toEqual([
      ['coop', '2022-12-05'],
      ['loud', '2022-12-06'],
    ])
  })

  it('never posts before an embargo (a bare day means midnight in the campaign zone)', () => {
    const c = campaignOf()
    const quotes = [
      quoteOf('embargoed', { priority: 5, embargo_until: '2022-12-06T10:00' }),
      quoteOf('late', { embargo_until: '2022-12-09' }),
      quoteOf('bad-date', { embargo_until: 'soon' }),
    ]
    const plan = planCampaign(c, quotes)
    expect(ruleViolations(plan, c, quotes)).toEqual([])
    expect(localOf(plan.slots.find((s) => s.quoteId === 'embargoed')?.at)).toBe('2022-12-06 14:00')
    const why = Object.fromEntries(plan.unplaced.map((u) => [u.quoteId, u.reason]))
    expect(why.late).toMatch(/^embargoed until 2022-12-09 00:00 Europe\/Amsterdam/)
    expect(why['bad-date']).toMatch(/not a date/)
  })

  it('keeps to max_threads_per_day and the minimum gap, spreading over the days', () => {
    const c = campaignOf({ max_threads_per_day: 2, min_gap_minutes: 180 })
    const quotes = Array.from({ length: 6 }, (_, i) => quoteOf(`q${i}`, { organisation: { name: `O${i}` } }))
    const plan = planCampaign(c, quotes)
    expect(ruleViolations(plan, c, quotes)).toEqual([])
    expect(plan.slots).toHaveLength(6)
    expect(plan.slots.map((s) => localOf(s.at).slice(11))).toEqual([
      '09:00',
      '14:00',
      '09:00',
      '14:00',
      '09:00',
      '14:00',
    ])
  })

  it('does not post one organisation twice a day while another day has room', () => {
    const c = campaignOf()
    const org = { name: 'Same Org' }
    const quotes = [
      quoteOf('a', { organisation: org }),
      quoteOf('b', { organisation: org }),
      quoteOf('c', { organisation: org }),
    ]
    const days = planCampaign(c, quotes).slots.map((s) => s.day)
    expect(days).toEqual(['2022-12-05', '2022-12-06', '2022-12-07'])
    // With one day only, the others no longer wait: all three go on it.
    const one = campaignOf({ days: [{ date: '2022-12-05' }] })
    expect(planCampaign(one, quotes).slots).toHaveLength(3)
  })

  it('gives higher priority earlier days and, within a day, the better hour', () => {
    const c = campaignOf()
    const quotes = [1, 2, 3, 4, 5, 3].map((p, i) =>
      quoteOf(`p${i}`, { priority: p, organisation: { name: `O${i}` } }),
    )
    const plan = planCampaign(c, quotes)
    const byPriority = [...plan.slots].sort((a, b) => {
      const pa = quotes.find((q) => q.id === a.quoteId)?.priority ?? 0
      const pb = quotes.find((q) => q.id === b.quoteId)?.priority ?? 0
      return pb - pa
    })
    const days = byPriority.map((s) => s.day)
    expect(days).toEqual([...days].sort())
    expect(localOf(byPriority[0]?.at)).toBe('2022-12-05 09:00')
    expect(localOf(byPriority[1]?.at)).toBe('2022-12-05 14:00')
  })

  it('stores UTC instants and shows the same local times whatever the process zone', () => {
    const c = campaignOf({ timezone: 'Asia/Kolkata' })
    const plan = planCampaign(c, [quoteOf('one')])
    expect(plan.slots[0]?.at).toBe('2022-12-05T03:30:00Z')
  })

  it('warns when threads a day × parts could pass the X free tier, and not for the sample week', () => {
    const c = campaignOf({ max_threads_per_day: 8, min_gap_minutes: 30 })
    const long = 'A long statement. '.repeat(40)
    const quotes = Array.from({ length: 8 }, (_, i) =>
      quoteOf(`q${i}`, { text: long, organisation: { name: 'One' } }),
    )
    const plan = planCampaign(
      campaignOf({ max_threads_per_day: 8, min_gap_minutes: 30, days: [{ date: '2022-12-05' }] }),
      quotes,
    )
    expect(plan.warnings).toEqual([
      expect.stringMatching(/^X: about 32 posts on 2022-12-05 .*free tier allows as few as 17/),
    ])
    expect(planCampaign(c, [quoteOf('short')]).warnings).toEqual([
      expect.stringMatching(/max_threads_per_day 8 × up to 3 parts/),
    ])
    expect(planCampaign(campaignOf(), [quoteOf('short')]).warnings).toEqual([])
  })

  it('a quote whose consent is withdrawn loses its unlocked slot; a locked one stays, with a warning', () => {
    const c = campaignOf()
    const quotes = [quoteOf('a'), quoteOf('b')]
    const first = planCampaign(c, quotes)
    const withdrawn = quotes.map((q) => ({ ...q, consent: { status: 'withdrawn' as const } }))
    const next = planCampaign(c, withdrawn, {
      ...first,
      slots: first.slots.map((s) => (s.quoteId === 'b' ? { ...s, locked: true } : s)),
    })
    expect(next.slots.map((s) => s.quoteId)).toEqual(['b'])
    expect(next.unplaced).toEqual([
      { quoteId: 'a', reason: 'consent is withdrawn: this quote is never scheduled' },
    ])
    expect(next.warnings).toContain(
      `camp-b keeps its slot on ${next.slots[0]?.day} but will not be posted: consent is withdrawn: this quote is never scheduled`,
    )
  })

  it('an embargo set after a slot was locked before it: the slot stays, with a warning that it will not be posted', () => {
    const c = campaignOf()
    const first = planCampaign(c, [quoteOf('a')])
    const slot = first.slots[0]
    if (!slot) throw new Error('no slot')
    const embargoed = [quoteOf('a', { embargo_until: '2099-01-01' })]
    const next = planCampaign(c, embargoed, { ...first, slots: [{ ...slot, locked: true }] })
    expect(next.slots.map((s) => s.at)).toEqual([slot.at])
    expect(next.warnings).toContain(
      `camp-a keeps its slot on ${slot.day} but will not be posted: embargoed until 2099-01-01 00:00 (Europe/Amsterdam)`,
    )
  })
})
