import { describe, expect, it } from 'vitest'
import type { Campaign } from '../../src/campaign/schema.ts'
import { buildModel } from '../../src/preview/model.ts'
import { calendarBody, windowName } from '../../src/preview/views/calendar.ts'

// Issue 13: the calendar page names the zone as it is each day (CET, then CEST) and the windows by their hours.

const ctx = {
  now: new Date('2023-03-20T12:00:00Z'),
  graceMinutes: 30,
  queue: { ok: false, reason: 'no Redis in this test' },
  queuesMounted: false,
  exports: { ok: true, value: true },
} as const

/** Visible text of an HTML fragment, whitespace folded. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()

describe('the calendar page', () => {
  it('gives each day the zone’s abbreviation, and says when it changes during the week', async () => {
    // fixtures/calendar/dst: 24–28 March 2023 in Amsterdam; the clocks go forward on Sunday 26 March.
    const model = await buildModel('fixtures/calendar/dst', 1)
    const html = calendarBody(model, ctx).toString()
    expect(text(html)).toContain('times in Europe/Amsterdam (CET, then CEST from Sun 26 Mar).')
    const zones = [...html.matchAll(/<span class="zone"[^>]*>([^<]+)<\/span>/g)].map((m) => m[1])
    expect(zones).toEqual(['CET', 'CET', 'CEST', 'CEST', 'CEST'])
  })

  it('names each posting window by its hours, whatever its place in the list', async () => {
    const model = await buildModel('fixtures/calendar/dst', 1)
    if (!model.campaign.ok) throw new Error(model.campaign.reason)
    const rows = (c: Campaign) =>
      [
        ...calendarBody({ ...model, campaign: { ok: true, value: c } }, ctx)
          .toString()
          .matchAll(/<th scope="row">(.*?)<\/th>/gs),
      ].map((m) => text(m[1] ?? ''))
    const c = model.campaign.value
    expect(rows(c)).toEqual(['Morning 09:00–12:00', 'Afternoon 15:00–18:00'])
    // Listed in another order, or three of them: each keeps the name of its hours.
    const three = [
      { start: '18:00', end: '21:00' },
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '16:00' },
    ]
    expect(rows({ ...c, windows: three }).slice(0, 3)).toEqual([
      'Evening 18:00–21:00',
      'Morning 09:00–12:00',
      'Afternoon 13:00–16:00',
    ])
    // Two mornings are told apart by their hours.
    const mornings = [
      { start: '08:00', end: '10:00' },
      { start: '10:30', end: '12:00' },
    ]
    expect(rows({ ...c, windows: mornings }).slice(0, 2)).toEqual(['08:00–10:00', '10:30–12:00'])
    expect(windowName({ start: '09:00', end: '17:00' })).toBe('Day')
  })
})
