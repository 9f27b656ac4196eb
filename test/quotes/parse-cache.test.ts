import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadBank } from '../../src/quotes/load.ts'
import { loadBankCached } from '../../src/quotes/parse-cache.ts'
import { copyFixtureBank } from '../fixture-copy.ts'

// A bank loaded before, byte for byte, is read back from disk instead of parsed; any change is parsed afresh.
describe('parsed banks on disk', () => {
  const dirs: string[] = []
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
  })
  async function setup() {
    await mkdir('test/.tmp', { recursive: true })
    const root = await mkdtemp(join('test/.tmp', 'parse-cache-'))
    dirs.push(root)
    const bank = join(root, 'bank')
    await copyFixtureBank('fixtures/asp21', bank)
    return { bank, cache: join(root, 'cache') }
  }
  const stored = async (cache: string) => readdir(join(cache, 'banks'))

  it('gives the same bank as a full load, from one stored file, and a changed bank is loaded again', async () => {
    const { bank, cache } = await setup()
    const full = await loadBank(bank)
    const first = await loadBankCached(bank, cache)
    expect(first).toEqual(full)
    const [file, ...more] = await stored(cache)
    expect(more).toEqual([])
    // Read back exact, curly quotes and all: the file holds every character beyond ASCII as a \u escape.
    expect(await loadBankCached(bank, cache)).toEqual(full)
    expect(full.quotes.some((q) => /[\u0080-\uffff]/.test(q.text))).toBe(true)
    // The hit is the stored JSON: make it say something a parse would not, and see it come back.
    const path = join(cache, 'banks', file ?? '')
    const json = JSON.parse(await readFile(path, 'utf8')) as { quotes: { text: string }[] }
    const q0 = json.quotes[0]
    if (!q0) throw new Error('stored bank has no quotes')
    q0.text = 'read from the stored load'
    await writeFile(path, JSON.stringify(json))
    const hit = await loadBankCached(bank, cache)
    expect(hit.quotes[0]?.text).toBe('read from the stored load')
    expect(hit.locations).toEqual(full.locations)
    expect(hit.problems).toEqual(full.problems)

    // One byte more in the bank: parsed again (the real text back), and the older stored load is dropped.
    await writeFile(join(bank, 'quotes.yaml'), `${await readFile(join(bank, 'quotes.yaml'), 'utf8')}\n`)
    const changed = await loadBankCached(bank, cache)
    expect(changed.quotes[0]?.text).toBe(full.quotes[0]?.text)
    const now = await stored(cache)
    expect(now).toHaveLength(1)
    expect(now[0]).not.toBe(file)
  })

  it('stores nothing for a bank whose campaign is broken, and still reports it', async () => {
    const { bank, cache } = await setup()
    await writeFile(join(bank, 'campaign.yaml'), 'id: [broken\n')
    await expect(loadBankCached(bank, cache)).rejects.toThrow(/campaign\.yaml/)
    await expect(stored(cache)).rejects.toThrow(/ENOENT/)
  })
})
