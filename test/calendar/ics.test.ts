import ICAL from 'ical.js'
import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import { cardPathFor } from '../../src/calendar/card-path.ts'
import { planIcs } from '../../src/calendar/ics.ts'
import { planCampaign } from '../../src/calendar/planner.ts'
import type { Plan } from '../../src/calendar/types.ts'
import { loadBank } from '../../src/quotes/load.ts'
import { readIcs } from './ics-read.ts'

const wall = (at: string, zone: string) =>
  DateTime.fromISO(at, { zone: 'utc' }).setZone(zone).toFormat("yyyy-LL-dd'T'HH:mm:ss")

describe('the ICS export', () => {
  it('has one event per thread at its local time, with the text and the card path', async () => {
    const { campaign, quotes } = await loadBank('fixtures/asp21')
    const plan = planCampaign(campaign, quotes)
    const events = readIcs(planIcs(plan, campaign, quotes))
    expect(events).toHaveLength(plan.slots.length)
    for (const s of plan.slots) {
      const e = events.find((x) => x.uid === `${s.threadId}@ngovoices`)
      const q = quotes.find((x) => x.id === s.quoteId)
      expect(e).toMatchObject({ tzid: 'Europe/Amsterdam', local: wall(s.at, 'Europe/Amsterdam'), utc: s.at })
      expect(e?.description).toContain(q?.text.slice(0, 60))
      expect(e?.description).toContain(`Card: ${cardPathFor(s.quoteId)}`)
    }
    const nur = events.find((e) => e.uid === 'asp21-nur-rohingya-victim@ngovoices')
    expect(nur).toMatchObject({ local: '2022-12-05T09:00:00', utc: '2022-12-05T08:00:00Z' })
    expect(cardPathFor('nur-rohingya-victim')).toBe('out/cards/nur-rohingya-victim.landscape.png')
  })

  it('is right on both sides of a clock change (Europe/Amsterdam, 24–28 March 2023)', async () => {
    const { campaign, quotes } = await loadBank('fixtures/calendar/dst')
    const plan = planCampaign(campaign, quotes)
    const text = planIcs(plan, campaign, quotes)
    // The VTIMEZONE names the change itself: 02:00 local on 26 March, +01:00 → +02:00.
    expect(text).toContain(
      'BEGIN:DAYLIGHT\r\nDTSTART:20230326T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST',
    )
    const events = readIcs(text)
    const at = (id: string) => events.find((e) => e.uid === `dst23-${id}@ngovoices`)
    // Same wall time, one hour apart in UTC: CET (+01:00) before, CEST (+02:00) after.
    expect(at('dst-before')).toMatchObject({ local: '2023-03-25T10:00:00', utc: '2023-03-25T09:00:00Z' })
    expect(at('dst-on-the-day')).toMatchObject({ local: '2023-03-26T09:00:00', utc: '2023-03-26T07:00:00Z' })
    expect(at('dst-after')).toMatchObject({ local: '2023-03-27T10:00:00', utc: '2023-03-27T08:00:00Z' })
    expect(events).toHaveLength(plan.slots.length)
    for (const s of plan.slots) {
      expect(events.find((e) => e.uid === `${s.threadId}@ngovoices`)).toMatchObject({
        tzid: 'Europe/Amsterdam',
        utc: s.at,
        local: wall(s.at, campaign.timezone),
      })
    }
  })

  it('stamps every event in UTC (DTSTAMP …Z), whatever the zone of the computer', async () => {
    const { campaign, quotes } = await loadBank('fixtures/asp21')
    const plan = planCampaign(campaign, quotes)
    const written = new Date('2026-11-30T08:05:09.123Z')
    const cal = new ICAL.Component(ICAL.parse(planIcs(plan, campaign, quotes, written)))
    const stamps = cal.getAllSubcomponents('vevent').map((e) => e.getFirstPropertyValue('dtstamp'))
    expect(stamps).toHaveLength(plan.slots.length)
    for (const stamp of stamps) {
      if (!(stamp instanceof ICAL.Time)) throw new Error('no DTSTAMP')
      // ical.js reads a UTC time as zone "Z"; a floating one would have no zone at all.
      expect(stamp.zone?.tzid).toBe('UTC')
      expect(stamp.toString()).toBe('2026-11-30T08:05:09Z')
    }
  })

  it('leaves dropped threads out and marks posted ones', async () => {
    const { campaign, quotes } = await loadBank('fixtures/asp21')
    const plan = planCampaign(campaign, quotes)
    const [a, b, ...rest] = plan.slots
    if (!a || !b) throw new Error('fixture changed')
    const edited: Plan = {
      ...plan,
      slots: [{ ...a, status: 'cancelled' }, { ...b, status: 'posted' }, ...rest],
    }
    const events = readIcs(planIcs(edited, campaign, quotes))
    expect(events.map((e) => e.uid)).not.toContain(`${a.threadId}@ngovoices`)
    expect(events.find((e) => e.uid === `${b.threadId}@ngovoices`)?.summary).toMatch(/\(posted\)$/)
  })
})
