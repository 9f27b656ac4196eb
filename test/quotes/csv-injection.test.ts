import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { planCsv } from '../../src/calendar/csv.ts'
import { planCampaign } from '../../src/calendar/planner.ts'
import { neutraliseCell, restoreCell } from '../../src/quotes/csv-cell.ts'
import { readCsvQuotes } from '../../src/quotes/csv-file.ts'
import { draftCsv } from '../../src/quotes/import.ts'
import { loadBank } from '../../src/quotes/load.ts'
import { type Quote, quoteSchema } from '../../src/quotes/schema.ts'

const FORMULA = '=HYPERLINK("http://x","y")'

async function hostileBank(): Promise<{
  quotes: Quote[]
  campaign: Awaited<ReturnType<typeof loadBank>>['campaign']
}> {
  const bank = await loadBank('fixtures/asp21')
  const [first, ...rest] = bank.quotes
  if (!first) throw new Error('empty sample bank')
  const hostile: Quote = {
    ...first,
    organisation: { ...first.organisation, name: FORMULA, short: '@SUM(A1)' },
    speaker: { victim: false, anonymous: false, ...first.speaker, name: '+cmd|calc', role: '-2+3' },
  }
  return { quotes: [hostile, ...rest], campaign: bank.campaign }
}

describe('CSV exports a spreadsheet opens as text', () => {
  it('neutralises a cell that starts like a formula, and only such a cell', () => {
    for (const v of [FORMULA, '+1', '-1', '@x', '\t=1', '\r=1'])
      expect(neutraliseCell(v), JSON.stringify(v)).toBe(`'${v}`)
    for (const v of ['Al-Haq', 'a=b', "'quoted'", '', '#ASP21']) expect(neutraliseCell(v)).toBe(v)
    for (const v of [FORMULA, 'Al-Haq', "'=already text", "'plain"])
      expect(restoreCell(neutraliseCell(v))).toBe(v)
  })

  it('import -o x.csv: the organisation opens as text and reads back unchanged through our reader', async () => {
    const { quotes } = await hostileBank()
    const text = draftCsv({ quotes, reports: [] })
    const rows = parse(text, { columns: true }) as Record<string, string>[]
    const row = rows[0]
    expect(row?.organisation_name).toBe(`'${FORMULA}`)
    expect(row?.organisation_short).toBe("'@SUM(A1)")
    expect(row?.speaker_role).toBe("'-2+3")
    const read = readCsvQuotes(text, 'quotes.csv')
    expect(read.problems).toEqual([])
    const back = quoteSchema.parse(read.entries[0]?.raw)
    expect(back.organisation.name).toBe(FORMULA)
    expect(back.organisation.short).toBe('@SUM(A1)')
    expect(back.speaker?.name).toBe('+cmd|calc')
    expect(back.speaker?.role).toBe('-2+3')
    // Every other quote of the sample comes back as it went out.
    expect(read.entries.slice(1).map((e) => quoteSchema.parse(e.raw))).toEqual(quotes.slice(1))
  })

  it('plan --csv and /plan.csv: the organisation cell begins with the apostrophe', async () => {
    const { quotes, campaign } = await hostileBank()
    const plan = planCampaign(campaign, quotes)
    const rows = parse(planCsv(plan, quotes), { columns: true }) as Record<string, string>[]
    const cells = rows.map((r) => r.organisation ?? '')
    expect(cells).toContain("'@SUM(A1)")
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([])
  })
})
