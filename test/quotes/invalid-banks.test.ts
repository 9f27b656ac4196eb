import { describe, expect, it } from 'vitest'
import { uncoveredCharacters } from '../../src/cards/coverage.ts'
import { footerOverflow } from '../../src/cards/footer.ts'
import { InputError } from '../../src/core/problem.ts'
import { loadBank, validateBank } from '../../src/quotes/load.ts'

// One broken bank per kind of mistake (fixtures/invalid/<kind>): the message, and the line:col of the field.
const CASES: [kind: string, file: string, line: number, col: number, message: string | RegExp][] = [
  ['yaml-syntax', 'quotes.yaml', 13, 1, 'YAML syntax error: Missing closing "quote'],
  ['csv-syntax', 'quotes.csv', 3, 8, 'CSV syntax error: Quote Not Closed'],
  ['missing-field', 'quotes.yaml', 7, 3, 'missing field language'],
  ['unknown-field', 'quotes.yaml', 13, 3, 'unknown field speakr'],
  [
    'csv-not-utf8',
    'quotes.csv',
    3,
    14,
    'the file is not UTF-8 text (byte 0x93 here): spreadsheet programs on Windows save "CSV" as Windows-1252',
  ],
  ['csv-unknown-column', 'quotes.csv', 1, 91, 'unknown column "speakr"'],
  [
    'duplicate-id',
    'quotes.yaml',
    7,
    7,
    'duplicate id good-quote: also at fixtures/invalid/duplicate-id/quotes.yaml:1',
  ],
  ['empty-text', 'quotes.yaml', 8, 9, 'text: the quote text is empty'],
  ['text-too-long', 'quotes.yaml', 8, 9, 'text is 503 characters, a card holds at most 400'],
  ['unbalanced-quotes', 'quotes.yaml', 8, 9, 'text has unbalanced quotation marks: 1 opening and 0 closing'],
  ['bad-language', 'quotes.yaml', 9, 13, 'language "english" is not a language code'],
  [
    'embargo-outside',
    'quotes.yaml',
    13,
    18,
    'embargo_until 2022-12-09T10:00 is after the last posting window (2022-12-07 17:00)',
  ],
  ['embargo-invalid', 'quotes.yaml', 13, 18, 'embargo_until "next tuesday" is not a date and time'],
  ['campaign-unknown-field', 'campaign.yaml', 5, 1, 'unknown field timezon'],
  ['bad-timezone', 'campaign.yaml', 5, 11, 'timezone "Europe/Den_Haag" is not an IANA time zone'],
  [
    'hashtags-too-wide',
    'campaign.yaml',
    4,
    11,
    /^the hashtags and "example.org" need \d+ px on one line of the square card's footer, which has 892 px$/,
  ],
  ['days-out-of-order', 'campaign.yaml', 10, 11, 'days are out of order: 2022-12-06 comes after 2022-12-07'],
  ['days-duplicated', 'campaign.yaml', 10, 11, 'day 2022-12-06 is listed twice'],
  ['bad-handle', 'quotes.yaml', 10, 47, 'organisation.handles.x: an X handle is @ followed by'],
  ['csv-bad-handle', 'quotes.csv', 3, 62, 'organisation.handles.x: an X handle is @ followed by'],
  ['missing-consent', 'quotes.yaml', 7, 3, 'missing field consent'],
  ['hashtag-comment', 'quotes.yaml', 8, 9, 'the value stops before "#ASP21": in YAML " #" starts a comment'],
  ['uncovered-character', 'quotes.yaml', 8, 9, 'text has "正" (U+6B63), which no card font can draw'],
  [
    'bidi-override',
    'quotes.yaml',
    10,
    20,
    'speaker.name has U+202E (RIGHT-TO-LEFT OVERRIDE) at character 5: it can reorder the text around it',
  ],
  ['campaign-invisible', 'campaign.yaml', 3, 7, 'name has U+2067 (RIGHT-TO-LEFT ISOLATE) at character 12'],
  ['campaign-invisible', 'campaign.yaml', 6, 16, 'statement_url: a link must start with https://'],
  ['javascript-url', 'quotes.yaml', 11, 36, 'source.url: a link must start with https:// (or http://)'],
]

describe('validate: one broken bank per kind of error', () => {
  it.each(CASES)('%s → %s:%i:%i', async (kind, file, line, col, message) => {
    const checked = await validateBank(`fixtures/invalid/${kind}`, {
      uncovered: uncoveredCharacters,
      footer: footerOverflow,
    })
    const errors = checked.problems.filter((p) => p.severity === 'error')
    expect(errors.length).toBeGreaterThan(0)
    const hit = errors.find((p) =>
      typeof message === 'string' ? p.message.includes(message) : message.test(p.message),
    )
    expect(hit, `${kind}: ${JSON.stringify(errors)}`).toBeDefined()
    expect(hit).toMatchObject({ file: `fixtures/invalid/${kind}/${file}`, line, col })
    expect(hit?.fix.length).toBeGreaterThan(5)
  })

  it('a bad quote is left out and the good one beside it still loads', async () => {
    for (const kind of [
      'missing-consent',
      'bad-handle',
      'embargo-outside',
      'duplicate-id',
      'csv-bad-handle',
      'hashtag-comment',
      'bidi-override',
      'javascript-url',
    ]) {
      const bank = await loadBank(`fixtures/invalid/${kind}`)
      expect(bank.quotes.map((q) => q.id)).toEqual(['good-quote'])
      expect(bank.problems.filter((p) => p.severity === 'error')).toHaveLength(1)
      expect(bank.locations.get('good-quote')).toMatchObject(
        kind.startsWith('csv') ? { line: 2, col: 1 } : { line: 1, col: 3 },
      )
    }
  })

  it('a broken campaign stops loadBank with an InputError naming line and column', async () => {
    const err = await loadBank('fixtures/invalid/bad-timezone').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InputError)
    expect((err as InputError).message).toContain(
      'fixtures/invalid/bad-timezone/campaign.yaml:5:11  timezone',
    )
  })

  it('a missing folder is one clear InputError', async () => {
    const err = await loadBank('fixtures/no-such-bank').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InputError)
    expect((err as InputError).message).toBe(
      'fixtures/no-such-bank  no such folder  (give the campaign folder (campaign.yaml and quotes*.yaml or .csv))',
    )
  })
})
