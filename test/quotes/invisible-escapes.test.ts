import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadBank } from '../../src/quotes/load.ts'
import { copyFixtureBank } from '../fixture-copy.ts'

// The loader skips looking for invisible characters in a file whose text holds none: one written as a YAML
// escape is not in the text, and must be found all the same.
describe('invisible characters written as escapes', () => {
  const dirs: string[] = []
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
  })

  const quote = (id: string, name: string) =>
    `- id: ${id}\n  text: Victims must be heard.\n  language: en\n  speaker: { name: ${name} }\n` +
    '  organisation: { name: Al-Haq }\n  source: { title: Statement }\n  consent: { status: granted }\n'

  it.each([
    ['\\u202E', 'U+202E (RIGHT-TO-LEFT OVERRIDE)'],
    ['\\xAD', 'U+00AD, an invisible format character,'],
    ['\\U000E0001', 'U+E0001, an invisible format character,'],
  ])('"%s" in a double-quoted name is reported', async (written, what) => {
    await mkdir('test/.tmp', { recursive: true })
    const bank = await mkdtemp(join('test/.tmp', 'invisible-'))
    dirs.push(bank)
    await copyFixtureBank('fixtures/asp21', bank)
    // A second quote first, so the escape sits in a file of several quotes, as in a real bank.
    await writeFile(
      join(bank, 'quotes.yaml'),
      quote('plain-quote', 'Nur') + quote('escaped-quote', `"Nur${written} M"`),
    )
    const loaded = await loadBank(bank)
    expect(loaded.quotes.map((q) => q.id)).toEqual(['plain-quote'])
    expect(loaded.problems).toMatchObject([
      {
        line: 11,
        col: 20,
        quoteId: 'escaped-quote',
        message: expect.stringContaining(`speaker.name has ${what}`),
      },
    ])
  })
})
