import { execFile } from 'node:child_process'
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { validateBank, validateFiles } from '../../src/quotes/load.ts'

const run = promisify(execFile)
const tmp = join('test/.tmp', `cli-import-${process.pid}-${Math.random().toString(36).slice(2)}`)
afterAll(() => rm(tmp, { recursive: true, force: true }))

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/ngovoices.mjs', ...args])
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('ngovoices import (the CLI, spawned)', () => {
  it('drafts the ASP21 bank; once consent is set it passes validate', async () => {
    await mkdir(tmp, { recursive: true })
    const out = join(tmp, 'quotes.yaml')
    const r = await cli(
      'import',
      'fixtures/asp21/press-release.txt',
      '-o',
      out,
      '--url',
      'https://example.org/ngovoices',
      '--date',
      '2022-11-30',
    )
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(
      'fixtures/asp21/press-release.txt:36:1  passage 5: quotation not closed: it ends "…would be met" with no closing punctuation (cut off?)',
    )
    expect(r.stderr).toContain('5 quote(s) imported')

    const draft = await readFile(out, 'utf8')
    expect(draft.startsWith('# Draft quote bank imported from fixtures/asp21/press-release.txt')).toBe(true)
    const quotes = parse(draft) as { id: string; source: unknown; consent: { status: string } }[]
    expect(quotes.map((q) => q.id)).toHaveLength(5)
    expect(quotes[0]?.source).toEqual({
      title: '#NGOVoices at the 21st session of the Assembly of States Parties of the ICC',
      url: 'https://example.org/ngovoices',
      date: '2022-11-30',
    })
    expect(quotes.every((q) => q.consent.status === 'pending')).toBe(true)

    // As written: valid, with a consent warning on every quote and the Burundi quote incomplete.
    await copyFile('fixtures/asp21/campaign.yaml', join(tmp, 'campaign.yaml'))
    const asDrafted = await validateBank(tmp)
    expect(asDrafted.problems.filter((p) => p.severity === 'error')).toEqual([])
    expect(asDrafted.problems.filter((p) => p.message.startsWith('consent pending'))).toHaveLength(5)

    await writeFile(out, draft.replaceAll('status: pending', 'status: granted'))
    const v = await cli('validate', tmp)
    expect(v.stderr).toBe('')
    expect(v.code).toBe(0)
    expect(v.stdout).toContain('by consent       granted 5')
    expect(v.stdout).toContain('incomplete 1')
  })

  it('prints the draft when no -o is given; a missing statement is one line, exit 1', async () => {
    const r = await cli('import', 'fixtures/import/quote-sheet.txt')
    expect(r.code).toBe(0)
    expect(parse(r.stdout)).toHaveLength(4)
    const missing = await cli('import', 'fixtures/import/nope.txt')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe(
      'fixtures/import/nope.txt  cannot read this file  (give the path of a plain-text statement)\n',
    )
  })

  it('writes CSV for a .csv output, and never overwrites a file without --force', async () => {
    await mkdir(tmp, { recursive: true })
    const out = join(tmp, 'quotes-sheet.csv')
    const r = await cli('import', 'fixtures/import/quote-sheet.txt', '-o', out)
    expect(r.code).toBe(0)
    const checked = await validateFiles([out])
    expect(
      checked.quotes.map((q) => [
        q.speaker?.name,
        q.organisation.short ?? q.organisation.name,
        q.consent.status,
      ]),
    ).toEqual([
      ['Jane Wanjiru', 'HRFK', 'pending'],
      [undefined, 'HRFK', 'pending'],
      ['Roman Avramenko', 'Truth Hounds', 'pending'],
      ['Roman Avramenko', 'Truth Hounds', 'pending'],
    ])
    const before = await readFile(out, 'utf8')
    const again = await cli('import', 'fixtures/import/news-story.txt', '-o', out)
    expect(again.code).toBe(1)
    expect(again.stderr).toContain(`${out}  already exists  (choose another name`)
    await expect(readFile(out, 'utf8')).resolves.toBe(before)
    const forced = await cli('import', 'fixtures/import/news-story.txt', '-o', out, '--force')
    expect(forced.code).toBe(0)
    await expect(readFile(out, 'utf8')).resolves.toContain('Maria Pérez')
  })
})
