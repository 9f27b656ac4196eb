import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { stringify as csv } from 'csv-stringify/sync'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { stringify as yaml } from 'yaml'
import { CSV_COLUMNS, quoteToRow } from '../../src/quotes/csv-file.ts'
import { validateFiles } from '../../src/quotes/load.ts'
import { type Quote, quoteSchema } from '../../src/quotes/schema.ts'

const tmp = join('test/.tmp', `quotes-prop-${process.pid}-${Math.random().toString(36).slice(2)}`)
afterAll(() => rm(tmp, { recursive: true, force: true }))

// Cell text a spreadsheet holds: commas, both kinds of quotation marks, line breaks, accents, RTL, emoji.
const piece = fc.constantFrom(
  'a',
  'Z',
  ' ',
  ',',
  '"',
  '“',
  '”',
  '’',
  '\n',
  'é',
  'في',
  'မြန်',
  '✊🏽',
  '[…]',
  '#',
  ':',
  '-',
  '0',
)
const text = fc
  .array(piece, { minLength: 1, maxLength: 40 })
  .map((a) => a.join('').trim())
  .filter((s) => s !== '')
const word = text.map((s) => s.replace(/[\n;]/g, ' ').trim()).filter((s) => s !== '')
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined })

const quote = fc
  .record({
    id: fc.stringMatching(/^[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}$/),
    text,
    excerpt: opt(text),
    language: fc.constantFrom('en', 'fr', 'ar', 'my', 'pt-BR'),
    speaker: opt(
      fc.record({ name: opt(word), role: opt(word), victim: fc.boolean(), anonymous: fc.boolean() }),
    ),
    organisation: fc.record({
      name: word,
      short: opt(word),
      handles: fc.record({
        x: opt(fc.constantFrom('@_CICC', '@alhaq_org')),
        bluesky: opt(fc.constant('ajar.bsky.social')),
      }),
    }),
    situation: opt(word),
    themes: fc.array(word, { maxLength: 3 }),
    source: fc.record({
      title: word,
      url: opt(fc.constant('https://example.org/a?b=c,d')),
      date: opt(fc.constant('2022-11-30')),
    }),
    consent: fc.record({ status: fc.constantFrom('granted', 'pending', 'withdrawn'), note: opt(text) }),
    embargo_until: opt(fc.constantFrom('2022-12-06', '2022-12-06T09:30', '2022-12-06T08:00Z')),
    priority: fc.integer({ min: 1, max: 5 }),
    pin: opt(fc.constantFrom('2022-12-07', '2022-12-08T10:00')),
    alt_text: opt(text),
    incomplete: opt(word),
  })
  // Drop the keys fast-check left undefined, as a hand-written file would simply not have them.
  .map((q) => quoteSchema.parse(JSON.parse(JSON.stringify(q))))

describe('a bank as YAML and as CSV', () => {
  it('loads to equal quotes and equal problems, whatever the cells hold', async () => {
    await mkdir(tmp, { recursive: true })
    let run = 0
    let loaded = 0
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(quote, { selector: (q) => q.id, minLength: 1, maxLength: 5 }),
        async (quotes: Quote[]) => {
          run++
          const y = join(tmp, `quotes-${run}.yaml`)
          const c = join(tmp, `quotes-${run}.csv`)
          await writeFile(y, yaml(quotes))
          await writeFile(c, csv(quotes.map(quoteToRow), { header: true, columns: [...CSV_COLUMNS] }))
          const [fromYaml, fromCsv] = await Promise.all([validateFiles([y]), validateFiles([c])])
          expect(fromCsv.quotes).toEqual(fromYaml.quotes)
          loaded += fromCsv.quotes.length
          expect(fromCsv.problems.map((p) => p.message)).toEqual(fromYaml.problems.map((p) => p.message))
          // Every quote is either loaded or named in an error: none silently lost.
          const lost = quotes.filter((q) => !fromCsv.quotes.some((l) => l.id === q.id))
          for (const q of lost)
            expect(fromCsv.problems.some((p) => p.quoteId === q.id && p.severity === 'error')).toBe(true)
        },
      ),
      { numRuns: 60, seed: 20221205 },
    )
    // The property is about loaded quotes, so many generated quotes must load, not fail both ways alike.
    expect(loaded).toBeGreaterThan(30)
  })
})
