import { describe, expect, it } from 'vitest'
import { planCampaign } from '../../src/calendar/planner.ts'
import type { Plan } from '../../src/calendar/types.ts'
import { weekTable } from '../../src/calendar/week-table.ts'
import { loadBank } from '../../src/quotes/load.ts'

const DAY_NAMES: Record<string, string> = {
  '2023-03-24': 'Fri 24 Mar',
  '2023-03-25': 'Sat 25 Mar',
  '2023-03-26': 'Sun 26 Mar',
  '2023-03-27': 'Mon 27 Mar',
  '2023-03-28': 'Tue 28 Mar',
}

describe('the week table', () => {
  it('puts each thread in its day column and local-time row, with organisation, platforms and status', async () => {
    const { campaign, quotes } = await loadBank('fixtures/calendar/dst')
    const plan = planCampaign(campaign, quotes)
    const [first, second, ...rest] = plan.slots
    if (!first || !second) throw new Error('fixture changed')
    const edited: Plan = {
      ...plan,
      slots: [{ ...first, locked: true }, { ...second, status: 'cancelled' }, ...rest],
    }
    const lines = weekTable(edited, campaign, quotes).split('\n')
    expect(lines[0]).toBe("Times in Europe/Amsterdam (UTC+01:00, UTC+02:00), whatever this machine's zone.")
    const header = (lines[1] ?? '').split('|').map((c) => c.trim())
    expect(header.slice(1, 6)).toEqual(Object.values(DAY_NAMES))
    const cellsOf = (i: number) => (lines[i] ?? '').split('|').map((c) => c.trim())
    // Every slot appears in the row of its local time and the column of its day.
    for (const s of edited.slots) {
      const local = new Intl.DateTimeFormat('en-GB', {
        timeZone: campaign.timezone,
        hour: '2-digit',
        minute: '2-digit',
      }).format(new Date(s.at))
      const row = lines.findIndex((l) => l.startsWith(local))
      const col = header.indexOf(`${DAY_NAMES[s.day] ?? ''}`)
      const org = quotes.find((q) => q.id === s.quoteId)?.organisation.name
      expect(cellsOf(row)[col]).toBe(org)
      expect(cellsOf(row + 1)[col]).toBe('x bsky')
      expect(cellsOf(row + 2)[col]).toBe(s === edited.slots[0] ? 'locked' : s.status)
    }
    expect(lines.at(-1)).toMatch(/^total +\| 1\/2 +\| 2\/2 +\| 1\/2 +\| 1\/2 +\| 0\/2/)
  })
})
