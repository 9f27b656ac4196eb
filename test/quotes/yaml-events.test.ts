import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import { CORE_SCHEMA, load } from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { type DocumentOptions, parse, type SchemaOptions, stringify, type ToStringOptions } from 'yaml'
import type { FieldPath } from '../../src/quotes/finding.ts'
import type { QuoteInput } from '../../src/quotes/schema.ts'
import { readYamlQuotes, readYamlQuotesByEvents } from '../../src/quotes/yaml-events.ts'
import { readYamlQuotesByTree } from '../../src/quotes/yaml-file.ts'

// The two ways to read a quotes file must give the same entries: the same raw values (key order and all), the
// same start, the same findings, and the same place for every field, for fields that are missing too. Whatever
// the events path reads must be read that way by yaml's tree; what it declines, the tree reads alone.

/** A value with key order, number kinds and prototypes spelled out, so that toEqual compares them too. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return { array: v.map(canonical) }
  if (v !== null && typeof v === 'object') {
    const proto: unknown = Object.getPrototypeOf(v)
    return {
      keys: Object.entries(v).map(([k, x]) => [k, canonical(x)]),
      ...(proto === Object.prototype ? {} : { proto: canonical(proto) }),
    }
  }
  if (typeof v === 'number') return { number: Object.is(v, -0) ? '-0' : String(v) }
  return v
}

/** Every path into `v`, and beside each one path that goes past what is there (missing key, index, field). */
function paths(v: unknown, p: FieldPath = [], out: FieldPath[] = []): FieldPath[] {
  out.push(p, [...p, 'missing'], [...p, 99])
  if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) paths(x, [...p, Array.isArray(v) ? Number(k) : k], out)
  return out
}

/** Whether the events path read `text`; when it did, that it read it as the tree does. */
function sameAsTree(text: string): boolean {
  const fast = readYamlQuotesByEvents(text, 'quotes.yaml')
  const slow = readYamlQuotesByTree(text, 'quotes.yaml')
  if (!fast) {
    expect(readYamlQuotes(text, 'quotes.yaml').problems).toEqual(slow.problems)
    return false
  }
  expect(fast.problems).toEqual(slow.problems)
  expect(fast.entries).toHaveLength(slow.entries.length)
  for (const [i, s] of slow.entries.entries()) {
    const f = fast.entries[i]
    if (!f) throw new Error(`no entry ${i}`)
    expect(canonical(f.raw)).toEqual(canonical(s.raw))
    expect(f.start).toEqual(s.start)
    expect(f.findings).toEqual(s.findings)
    const places = (e: typeof s) =>
      paths(s.raw).flatMap((p) =>
        [false, true].map((atKey) => `${p.join('.')} ${atKey}: ${JSON.stringify(e.locate(p, atKey))}`),
      )
    expect(places(f)).toEqual(places(s))
  }
  return true
}

async function quotesFiles(dir: string): Promise<string[]> {
  const all = await readdir(dir, { recursive: true })
  return all
    .filter((f) => /(^|\/)quotes[^/]*\.ya?ml$/.test(f))
    .map((f) => join(dir, f))
    .sort()
}

const sample = async () => parse(await readFile('fixtures/asp21/quotes.yaml', 'utf8')) as QuoteInput[]

/** A bank of n quotes from the sample, written by yaml (aliases for the shared source, as the sample has). */
const bank = (
  quotes: QuoteInput[],
  n: number,
  options: DocumentOptions & SchemaOptions & ToStringOptions & { aliasDuplicateObjects?: boolean } = {},
) =>
  stringify(
    Array.from({ length: n }, (_, i) => ({ ...quotes[i % quotes.length], id: `q-${i}` })),
    options,
  )

/** What YAML allows and a quotes file may hold, read by js-yaml or, for the quote it is unsure of, by yaml. */
const FEATURES = `# A bank that uses what YAML allows
- id: block-keep
  text: |+
    Line one
      indented more

    after blank
  excerpt: >2-
      two-space indent indicator
     folded
  language: en
  organisation: &org { name: "Org \\"quoted\\" \\x41 \\u263A \\N \\_ end", short: 'it''s' }
  source: &src
    title: plain
      multi line
      title
    url: https://example.org/a#frag
    date: 2022-11-30
  consent: { status: granted, note: ~ }
  priority: 0o3
  themes: [a, "b", 'c', 0x1F, 1e3, .inf, -.5, true, null, ~, '', "", 012, +1, 1_000]

- id: lines-of-spaces
  text: "double quoted
    folded line\\
    escaped break

    blank kept"
  language: &lang en
  organisation: *org
  source: *src
  consent:
    status: granted
  speaker: {name: Nur,
    role: victim, victim: true}
  <<: *org
  alt_text: >
    folded

      more indented
    back
  situation: *lang
  pin: 'single
    quoted
${'    '}
    folded'
  language2: &lang fr
- {id: flow-item, text: "flow", language: *lang, organisation: {name: X}, source: {title: T}, consent: {status: granted}}
- id: empty-values
  text:
  language: en # trailing comment
  organisation:
    name: Org #NotAComment
    short: X # comment
  source: {title: T}   # comment #tag
  consent: {status: pending} #status
  situation: Somewhere #Hashtag here
  themes:
  - a
  - b #c
  -   c
# a comment line before a quote
- id: lost-hashtags
  text: Survivors are waiting for the Assembly at #ASP21 to act.
  excerpt: "Quoted #ASP21 stays"
  language: en
  organisation:
    name: AJAR
    short: #AJAR
  source:
    title: Statement
  consent: { status: granted }
  themes: [a, b #c
    ]
  speakr: unknown field
`

describe('quotes read from js-yaml events, as from yaml’s tree', () => {
  it('reads every quotes file of the fixtures the same way, and declines only the one that does not parse', async () => {
    const declined: string[] = []
    for (const file of await quotesFiles('fixtures'))
      if (!sameAsTree(await readFile(file, 'utf8'))) declined.push(file)
    expect(declined).toEqual(['fixtures/invalid/yaml-syntax/quotes.yaml'])
  })

  it('reads anchors, block scalars, flow maps, comments, odd keys and lost hashtags the same way', () => {
    expect(sameAsTree(FEATURES)).toBe(true)
    expect(sameAsTree(FEATURES.replaceAll('\n', '\r\n'))).toBe(true)
    const lost = readYamlQuotesByEvents(FEATURES, 'quotes.yaml')?.entries.flatMap((e) => e.findings ?? [])
    // Plain values cut by ` #tag`; not flow maps, quoted values or empty ones (hashtagCommentFindings).
    expect(lost?.map((f) => f.path.join('.'))).toEqual([
      'organisation.name',
      'situation',
      'themes.1',
      'text',
      'themes.1',
    ])
  })

  it('leaves to yaml the quotes whose scalars js-yaml reads otherwise, anchors set in them included', () => {
    // Where the two parsers part (found by feeding both mutated banks): a line of spaces inside a block
    // scalar, and an escaped line break followed by an empty or blank line in a double-quoted one.
    const parting = ['|2-\n       x\n\n       \n', '"x\\\n\n\n    y"\n', '"x\\\n \n    y"\n']
    for (const scalar of parting) {
      const text = `- a: ${scalar}  b: 1\n`
      expect(load(text, { schema: CORE_SCHEMA })).not.toEqual(parse(text))
    }
    const quotes = parting.map(
      (scalar, i) =>
        `- id: q-${i}\n  situation: *lang0\n  language: &lang${i % 2} l${i}\n  text: ${scalar}  source: &src { title: t${i} }\n`,
    )
    const text = `${quotes.join('- id: plain\n  source: *src\n  language: *lang1\n')}- id: last\n  source: *src\n`
    expect(sameAsTree(text)).toBe(true)
  })

  it('reads generated banks the same way: with aliases, as flow maps, with comments and schema errors', async () => {
    const quotes = await sample()
    expect(sameAsTree(bank(quotes, 40))).toBe(true)
    expect(sameAsTree(bank(quotes, 20, { aliasDuplicateObjects: false, lineWidth: 40 }))).toBe(true)
    expect(sameAsTree(bank(quotes, 20, { defaultStringType: 'QUOTE_DOUBLE', lineWidth: 30 }))).toBe(true)
    expect(sameAsTree(bank(quotes, 20, { defaultStringType: 'BLOCK_LITERAL' }))).toBe(true)
    const flow = quotes.map(
      (q) => `- ${stringify(q, { collectionStyle: 'flow' }).replace(/\n(?=.)/g, '\n  ')}`,
    )
    expect(sameAsTree(flow.join('# between quotes\n'))).toBe(true)
    const broken = bank(quotes, 20)
      .replace('language: en', 'language: en\n  speakr: Nur # unknown field')
      .replace(/consent:\n {4}status: granted/, 'consent:\n    state: granted')
      .replace('handles:', 'handels:')
    expect(sameAsTree(broken)).toBe(true)
  })

  it('declines what it does not read, and the tree then reports it', () => {
    const cases = [
      '- id: a\n  text: "never closed\n',
      '- id: a\n   text: bad indent\n',
      '- id: a\n  id: b\n',
      '- id: a\n  1: number key\n',
      '- id: a\n  __proto__: { x: 1 }\n',
      '- id: !!str a\n',
      '%YAML 1.1\n---\n- id: a\n',
      '- id: a\n---\n- id: b\n',
      'id: not a list\n',
      '[{id: a}]\n',
      '- just a string\n',
      '-\n  id: on the next line\n',
      '- id: a\n  organisation: &o{ name: X }\n',
      '\ufeff- id: a\n',
      '- id: a\r  text: lone CR\n',
      '- id: a\n  # a comment\n\t',
      '',
      '# only a comment\n',
    ]
    for (const text of cases) expect(sameAsTree(text), JSON.stringify(text)).toBe(false)
  })

  it('reads mutated banks as the tree does, whenever it reads them', async () => {
    const quotes = await sample()
    const bases = [
      FEATURES,
      bank(quotes, 8),
      bank(quotes, 6, { defaultStringType: 'QUOTE_DOUBLE', lineWidth: 20 }),
    ]
    // Snippets that change what YAML means: indicators, quotes, escapes, blank lines, tabs, comments.
    const snippet = fc.constantFrom(
      ...[
        ' ',
        '\n',
        '\n\n',
        '  ',
        '\t',
        '#',
        ' #x',
        ': ',
        '- ',
        '"',
        "'",
        '\\',
        '|',
        '>-',
        '|+\n',
        '&a ',
        '*a',
      ],
      ...[
        '{',
        '}',
        '[',
        ']',
        ',',
        '? ',
        '---',
        '~',
        '0o17',
        '1e3',
        '\r\n',
        '\u00a0',
        '\u2028',
        '\\x41',
        '\\N',
      ],
      ...['\\\n', '\n  ', '\n    ', '\n      \n', '<<: ', '__proto__: ', '"a"#b', '\n#c\n', '@', '`'],
    )
    const edit = fc.record({ at: fc.nat(), cut: fc.nat({ max: 3 }), put: snippet })
    let read = 0
    fc.assert(
      fc.property(
        fc.nat({ max: bases.length - 1 }),
        fc.array(edit, { minLength: 1, maxLength: 3 }),
        (b, edits) => {
          let text = bases[b] ?? ''
          for (const { at, cut, put } of edits) {
            const i = at % (text.length + 1)
            text = text.slice(0, i) + put + text.slice(i + cut)
          }
          if (sameAsTree(text)) read++
        },
      ),
      { seed: 21, numRuns: 150 },
    )
    // Most edits still parse: the comparison above is not vacuous.
    expect(read).toBeGreaterThan(30)
  })
})
