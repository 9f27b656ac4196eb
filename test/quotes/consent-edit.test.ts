import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConsentEditError, setConsentStatus } from '../../src/quotes/consent-edit.ts'
import { loadBank } from '../../src/quotes/load.ts'

// Consent written from the page: the one value in YAML, the one row in CSV; the bank still loads the same.

async function copyOf(fixture: string, name: string): Promise<{ dir: string; file: string; text: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ngv-consent-'))
  for (const f of ['campaign.yaml', name])
    await writeFile(join(dir, f), await readFile(join('fixtures', fixture, f), 'utf8'))
  const file = join(dir, name)
  return { dir, file, text: await readFile(file, 'utf8') }
}

function changed(before: string, after: string): [string, string][] {
  const a = before.split('\n')
  const b = after.split('\n')
  expect(b).toHaveLength(a.length)
  return a.flatMap((l, i): [string, string][] => (l === b[i] ? [] : [[l, b[i] ?? '']]))
}

describe('setConsentStatus', () => {
  it('YAML, block style: only the status value changes, comments and anchors stay', async () => {
    const { dir, file, text } = await copyOf('asp21', 'quotes.yaml')
    await setConsentStatus(file, 'cicc-cooperation-investigations', 'granted')
    const after = await readFile(file, 'utf8')
    expect(changed(text, after)).toEqual([['    status: pending', '    status: granted']])
    const bank = await loadBank(dir)
    expect(bank.quotes.find((q) => q.id === 'cicc-cooperation-investigations')?.consent.status).toBe(
      'granted',
    )
  })

  it('YAML, flow style: the word inside the braces changes, the note beside it does not', async () => {
    const { file, text } = await copyOf('asp21', 'quotes.yaml')
    await setConsentStatus(file, 'ajar-myanmar-prioritise', 'withdrawn')
    const [[from, to] = ['', '']] = changed(text, await readFile(file, 'utf8'))
    expect(to).toBe(from.replace('{ status: granted,', '{ status: withdrawn,'))
  })

  it('CSV: only that row is written again, with consent withdrawn', async () => {
    const { dir, file, text } = await copyOf('csv-equivalence', 'quotes.csv')
    const before = await loadBank(dir)
    await setConsentStatus(file, 'nur-rohingya-victim', 'withdrawn')
    const after = await loadBank(dir)
    const rows = changed(text, await readFile(file, 'utf8'))
    expect(rows).toHaveLength(1)
    expect(rows[0]?.[1].startsWith('nur-rohingya-victim,')).toBe(true)
    expect(after.quotes.map((q) => (q.id === 'nur-rohingya-victim' ? q.consent.status : q))).toEqual(
      before.quotes.map((q) => (q.id === 'nur-rohingya-victim' ? 'withdrawn' : q)),
    )
  })

  it('refuses a quote that is not in the file', async () => {
    const { file } = await copyOf('csv-equivalence', 'quotes.csv')
    await expect(setConsentStatus(file, 'no-such-quote', 'withdrawn')).rejects.toBeInstanceOf(
      ConsentEditError,
    )
  })
})
