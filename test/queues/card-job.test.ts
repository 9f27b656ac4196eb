import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { campaignFolders } from '../../queues/campaign-folders.ts'
import type { CardJobResult } from '../../queues/card-job.ts'
import { liveClock } from '../../queues/clock.ts'
import { poolCard } from '../../queues/deps.ts'
import { cardJobId } from '../../queues/names.ts'
import { type RunningWorkers, startWorkers } from '../../queues/worker.ts'
import { cachedBankLoader } from '../../src/quotes/bank-cache.ts'
import { loadBank } from '../../src/quotes/load.ts'
import type { QuoteInput } from '../../src/quotes/schema.ts'
import {
  bankCopy,
  cleanDir,
  journalPublisher,
  planHolder,
  planOf,
  publishDepsWith,
  silent,
  type TestQueues,
  testQueues,
  until,
} from './helpers.ts'

// At 10,000 quotes a bank takes seconds to parse: a card job must use the process's cached load, not its own.
describe('card jobs on a 1,000-quote bank', () => {
  let q: TestQueues
  let dir: string
  let workers: RunningWorkers | undefined
  beforeEach(async () => {
    q = await testQueues()
    dir = await bankCopy()
    // The sample's postable quotes, repeated under new ids to 1,000.
    const sample = (parse(await readFile(join(dir, 'quotes.yaml'), 'utf8')) as QuoteInput[]).filter(
      (x) => x.consent.status === 'granted' && !x.incomplete,
    )
    const quotes = Array.from({ length: 1000 }, (_, i) => {
      const base = sample[i % sample.length]
      if (!base) throw new Error('no postable sample quotes')
      return { ...base, id: `${base.id}-${i}` }
    })
    await writeFile(join(dir, 'quotes.yaml'), stringify(quotes, { aliasDuplicateObjects: false }))
  })
  afterEach(async () => {
    await workers?.close(true)
    await q.drop()
    await cleanDir(dir)
  })

  it('renders each card from the bank the process already loaded (loads counted)', async () => {
    let loads = 0
    const cached = cachedBankLoader(async (d) => {
      loads++
      return loadBank(d)
    })
    // The sweep (or the first card job) loads the bank once.
    const bank = await cached(dir)
    expect(bank.quotes).toHaveLength(1000)
    const done: CardJobResult[] = []
    const cacheDir = join(dir, 'cache')
    workers = startWorkers({
      q,
      folders: campaignFolders(q, [dir]),
      deps: {
        ...publishDepsWith(journalPublisher(join(dir, 'j.jsonl'))),
        loadBank: cached,
        card: poolCard,
        cacheDir,
      },
      planDeps: planHolder(planOf([])),
      clock: liveClock,
      graceMs: 60_000,
      log: silent,
      platforms: [],
      onCard: (r) => done.push(r),
    })
    const ids = [0, 499, 998].map((i) => bank.quotes[i]?.id ?? '')
    await q.cards.addBulk(
      ids.map((quoteId) => ({
        name: 'render',
        data: { campaign: bank.campaign.id, quoteId },
        opts: { jobId: cardJobId(bank.campaign.id, quoteId) },
      })),
    )
    await until('three card jobs done', async () => done.length === 3)
    expect(done.map((r) => [r.quoteId, r.rendered]).sort()).toEqual(ids.map((id) => [id, true]).sort())
    expect(loads).toBe(1)

    // A changed bank is read again, once, by the next job.
    await writeFile(join(dir, 'quotes.yaml'), `${await readFile(join(dir, 'quotes.yaml'), 'utf8')}\n`)
    await q.cards.add('render', { campaign: bank.campaign.id, quoteId: ids[0] ?? '' })
    await until('the fourth card job done', async () => done.length === 4)
    expect(done[3]).toMatchObject({ rendered: true, cached: true })
    expect(loads).toBe(2)
  })
})
