import { describe, expect, it } from 'vitest'
import { campaignFindings } from '../../src/campaign/check.ts'
import { campaignSchema } from '../../src/campaign/schema.ts'

const base = {
  id: 'c',
  name: 'C',
  hashtags: ['#NGOVoices', '#ASP21'],
  timezone: 'Europe/Amsterdam',
  statement_url: 'https://example.org',
  days: [{ date: '2022-12-05' }, { date: '2022-12-06' }],
  windows: [
    { start: '09:00', end: '12:30' },
    { start: '14:00', end: '18:00' },
  ],
  platforms: {},
}
const findings = (extra: Record<string, unknown>) =>
  campaignFindings(campaignSchema.parse({ ...base, ...extra })).map(
    (f) => `${f.path.join('.')}: ${f.message}`,
  )

describe('campaign rules beyond the schema', () => {
  it('the sample shape is clean', () => {
    expect(findings({})).toEqual([])
  })

  it('time zones must be IANA zones', () => {
    expect(findings({ timezone: 'CET+1' })).toEqual(['timezone: timezone "CET+1" is not an IANA time zone'])
    expect(findings({ timezone: 'America/Argentina/Buenos_Aires' })).toEqual([])
  })

  it('days: real dates, in order, once each', () => {
    expect(findings({ days: [{ date: '2022-02-30' }] })).toEqual([
      'days.0.date: day 2022-02-30 is not a date in the calendar',
    ])
    expect(
      findings({ days: [{ date: '2022-12-06' }, { date: '2022-12-05' }, { date: '2022-12-06' }] }),
    ).toEqual([
      'days.1.date: days are out of order: 2022-12-05 comes after 2022-12-06',
      'days.2.date: day 2022-12-06 is listed twice (also day 1)',
    ])
  })

  it('windows: start before end, in order, no overlap; hashtags once', () => {
    expect(
      findings({
        windows: [
          { start: '12:00', end: '09:00' },
          { start: '14:00', end: '18:00' },
          { start: '17:00', end: '19:00' },
        ],
      }),
    ).toEqual([
      'windows.0.end: posting window ends (09:00) before it starts (12:00)',
      'windows.2.start: posting window 17:00–19:00 starts before the one above it ends (18:00)',
    ])
    expect(findings({ hashtags: ['#NGOVoices', '#ngovoices'] })).toEqual([
      'hashtags.1: hashtag #ngovoices is listed twice',
    ])
  })
})
