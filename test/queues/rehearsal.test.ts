import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { poolCard } from '../../queues/deps.ts'
import { rehearse } from '../../queues/rehearsal.ts'
import { readConfig } from '../../src/config.ts'
import { testPrefix } from '../redis-namespace.ts'
import {
  bankCopy,
  cleanDir,
  journalPublisher,
  partsOf,
  planHolder,
  planOf,
  publishDepsWith,
  REDIS_URL,
  readJournal,
  silent,
} from './helpers.ts'

// The rehearsal: the week on a compressed clock, in a namespace of its own that is gone afterwards.
describe('rehearse', () => {
  let dir: string
  const prefix = testPrefix('rehearsal')
  beforeEach(async () => {
    dir = await bankCopy()
  })
  afterEach(() => cleanDir(dir))

  it('posts every planned thread once, in plan order, renders the cards ahead, and leaves Redis clean', async () => {
    const hour = 3_600_000
    const monday9 = Date.parse('2022-12-05T08:00:00Z')
    const ids = [
      'nur-rohingya-victim',
      'ajar-myanmar-prioritise',
      'ajar-philippines-resume',
      'cicc-political-support',
    ]
    const plan = planOf(
      ids.map((quoteId, i) => ({ quoteId, at: monday9 + i * 36 * hour, platforms: ['x', 'bluesky'] })),
    )
    const journal = join(dir, 'journal.jsonl')
    const config = readConfig({
      REDIS_URL,
      NGOVOICES_QUEUE_PREFIX: prefix,
      NGOVOICES_OUTBOX_DIR: join(dir, 'outbox'),
      NGOVOICES_CACHE_DIR: join(dir, 'cache'),
    })
    // Real cards from the process's card pool, for the card jobs and the posts alike.
    const deps = { ...publishDepsWith(journalPublisher(journal)), card: poolCard, cacheDir: config.cacheDir }
    const out: string[] = []
    const t0 = Date.now()
    const r = await rehearse({
      config,
      log: silent,
      dir,
      // The week (4.5 days of slots) in about 2 s.
      speed: (5 * 24 * hour) / 2000,
      out: (l) => out.push(l),
      planDeps: planHolder(plan),
      publishDeps: deps,
    })
    expect(r.ok).toBe(true)
    expect(r.status.counts.posted).toBe(8)
    const lines = await readJournal(journal)
    const parts = (await partsOf(dir, ids, 'x')) + (await partsOf(dir, ids, 'bluesky'))
    // A thread is one post or more (a short quote is the hook alone); every one was composed and posted.
    expect(parts).toBeGreaterThanOrEqual(2 * 8)
    expect(lines).toHaveLength(parts)
    expect(new Set(lines.map((l) => l.key)).size).toBe(parts)
    for (const platform of ['x', 'bluesky']) {
      const firsts = lines.filter((l) => l.platform === platform && l.part === 0).map((l) => l.threadId)
      expect(firsts).toEqual(ids.map((id) => `asp21-${id}`))
    }
    // The last slot is 4.5 days after the first: compressed, that is ~1.6 s after the 1.5 s warm-up.
    expect(Date.now() - t0).toBeGreaterThan(2500)
    expect(out.filter((l) => / {2}(x|bluesky) +asp21-/.test(l))).toHaveLength(8)
    expect(out.at(-1)).toMatch(/outbox: /)
    // The sample cards are rendered (by the card pool, into the cache) before the week starts.
    expect(out.find((l) => l.startsWith('  rendered'))).toMatch(
      /^ {2}rendered 4 of 4 cards \(\d unchanged, from the cache\) in [\d.]+ s$/,
    )
    expect(out.join('\n')).toMatch(/Rehearsal done: 8 posted, 0 cancelled, 0 failed, 0 missed, 0 unconfirmed/)
    expect((await readdir(config.cacheDir)).length).toBeGreaterThanOrEqual(1)
    const redis = new Redis(REDIS_URL)
    expect(await redis.keys(`${prefix}*`)).toEqual([])
    redis.disconnect()
  })
})
