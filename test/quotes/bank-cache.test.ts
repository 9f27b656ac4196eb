import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cachedBankLoader } from '../../src/quotes/bank-cache.ts'
import { type LoadedBank, loadBank } from '../../src/quotes/load.ts'
import { copyFixtureBank } from '../fixture-copy.ts'

// The worker's bank cache: the same load while no bank file changed, a fresh one as soon as one did.

let dir: string
let loads: number
let load: (dir: string) => Promise<LoadedBank>

beforeEach(async () => {
  const tmp = await mkdtemp(join('test', '.tmp', 'bank-cache-'))
  dir = join(tmp, 'asp21')
  await copyFixtureBank('fixtures/asp21', dir)
  loads = 0
  load = cachedBankLoader((d) => {
    loads++
    return loadBank(d)
  })
})
afterEach(() => rm(join(dir, '..'), { recursive: true, force: true }))

describe('cachedBankLoader', () => {
  it('loads once while nothing changes, again after an edit, a new quotes file or a replaced file', async () => {
    const first = await load(dir)
    expect(await load(dir)).toBe(first)
    expect(loads).toBe(1)

    // Consent withdrawn in place: the next read sees it.
    const file = join(dir, 'quotes.yaml')
    const text = await readFile(file, 'utf8')
    await writeFile(file, text.replace(/status: granted/, 'status: withdrawn'))
    const edited = await load(dir)
    expect(loads).toBe(2)
    const withdrawn = (b: LoadedBank) => b.quotes.filter((q) => q.consent.status === 'withdrawn').length
    expect(withdrawn(first)).toBe(0)
    expect(withdrawn(edited)).toBe(1)

    // A second quotes file appears.
    await writeFile(
      join(dir, 'quotes-extra.yaml'),
      '- id: extra\n  text: Justice for all.\n  language: en\n  organisation: { name: Test NGO }\n  source: { title: Statement }\n  consent: { status: granted }\n',
    )
    expect((await load(dir)).quotes.map((q) => q.id)).toContain('extra')
    expect(loads).toBe(3)

    // An editor that saves by writing a new file and renaming it over the old one.
    await writeFile(join(dir, 'tmp-save'), text)
    await rename(join(dir, 'tmp-save'), file)
    expect((await load(dir)).quotes.length).toBe(first.quotes.length + 1)
    expect(loads).toBe(4)
    expect(await load(dir)).toBe(await load(dir))
    expect(loads).toBe(4)
  })

  it('does not keep a failed load: the folder fixed, the next call reads it', async () => {
    const campaign = join(dir, 'campaign.yaml')
    const good = await readFile(campaign, 'utf8')
    await writeFile(campaign, 'timezone: [broken\n')
    await expect(load(dir)).rejects.toThrow()
    await writeFile(campaign, good)
    expect((await load(dir)).campaign.id).toBe('asp21')
  })
})
