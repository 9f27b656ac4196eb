import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadBank, validateFiles } from '../../src/quotes/load.ts'

const tmp = join('test/.tmp', `quotes-${process.pid}-${Math.random().toString(36).slice(2)}`)
afterAll(() => rm(tmp, { recursive: true, force: true }))

describe('a bank kept as CSV loads to the same quotes as its YAML twin', () => {
  it('fixtures/csv-equivalence/quotes.csv equals fixtures/asp21/quotes.yaml, quote by quote', async () => {
    const yaml = await loadBank('fixtures/asp21')
    const csv = await loadBank('fixtures/csv-equivalence')
    expect(yaml.problems.filter((p) => p.severity === 'error')).toEqual([])
    expect(csv.problems.filter((p) => p.severity === 'error')).toEqual([])
    expect(csv.quotes).toHaveLength(11)
    expect(csv.quotes).toEqual(yaml.quotes)
    // Each CSV quote is located at its own row (the header is line 1; quoted cells may span lines).
    expect(csv.locations.get('ajar-myanmar-prioritise')).toMatchObject({ line: 2, col: 1 })
    expect(csv.locations.get('nur-rohingya-victim')).toMatchObject({ line: 3, col: 1 })
  })

  it('a spreadsheet export with a byte-order mark and Windows line ends loads to the same quotes', async () => {
    const dir = join(tmp, 'excel')
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, 'campaign.yaml'), await readFile('fixtures/csv-equivalence/campaign.yaml'))
    const csv = await readFile('fixtures/csv-equivalence/quotes.csv', 'utf8')
    await writeFile(join(dir, 'quotes.csv'), `\ufeff${csv.replace(/\r?\n/g, '\r\n')}`)
    const excel = await loadBank(dir)
    expect(excel.problems.filter((p) => p.severity === 'error')).toEqual([])
    expect(excel.quotes).toEqual((await loadBank('fixtures/csv-equivalence')).quotes)
  })

  it('multi-line cells, ; themes, yes/no and empty cells map like YAML', async () => {
    await mkdir(tmp, { recursive: true })
    const csvFile = join(tmp, 'quotes.csv')
    const yamlFile = join(tmp, 'quotes-twin.yaml')
    await writeFile(
      csvFile,
      [
        'id,text,language,speaker_name,speaker_role,speaker_victim,speaker_anonymous,organisation_name,organisation_bluesky,themes,source_title,consent,priority',
        'first,"Line one,\nline two ""quoted"".",en,Nur,a Rohingya victim,yes,,AJAR,ajar.bsky.social, victims ; myanmar ,Statement,granted,5',
        'second,Plain text.,fr,,,,,Al-Haq,,,Statement,pending,',
      ].join('\n'),
    )
    await writeFile(
      yamlFile,
      `- id: first
  text: "Line one,\\nline two \\"quoted\\"."
  language: en
  speaker: { name: Nur, role: a Rohingya victim, victim: true }
  organisation: { name: AJAR, handles: { bluesky: ajar.bsky.social } }
  themes: [victims, myanmar]
  source: { title: Statement }
  consent: { status: granted }
  priority: 5
- id: second
  text: Plain text.
  language: fr
  organisation: { name: Al-Haq }
  source: { title: Statement }
  consent: { status: pending }
`,
    )
    const fromCsv = await validateFiles([csvFile])
    const fromYaml = await validateFiles([yamlFile])
    expect(fromCsv.problems.filter((p) => p.severity === 'error')).toEqual([])
    expect(fromCsv.quotes).toEqual(fromYaml.quotes)
    expect(fromCsv.quotes[0]?.text).toBe('Line one,\nline two "quoted".')
    // The second row starts on line 4: the first row's text cell spans lines 2–3.
    expect(fromCsv.locations.get('second')).toMatchObject({ line: 4, col: 1 })
  })

  it('reads a ;-separated export (spreadsheets in European locales) and points at its cells', async () => {
    await mkdir(tmp, { recursive: true })
    const file = join(tmp, 'quotes-semicolon.csv')
    await writeFile(
      file,
      [
        '\uFEFFid;text;language;organisation_name;organisation_x;source_title;consent;themes',
        'one;"Justice, now; not later.";fr;AJAR;;Statement;granted;"a;b"',
        'two;Plain.;en;Al-Haq;@al haq;Statement;granted;',
      ].join('\r\n'),
    )
    const checked = await validateFiles([file])
    expect(checked.quotes.map((q) => [q.id, q.text, q.themes])).toEqual([
      ['one', 'Justice, now; not later.', ['a', 'b']],
    ])
    expect(checked.problems).toEqual([
      expect.objectContaining({
        line: 3,
        col: 22,
        message: expect.stringContaining('organisation.handles.x'),
      }),
    ])
  })
})
