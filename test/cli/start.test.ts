import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { planDeps } from '../../queues/deps.ts'
import { campaignPlatforms } from '../../src/campaign/schema.ts'
import { listOutbox } from '../../src/platforms/outbox-files.ts'
import { loadBank } from '../../src/quotes/load.ts'
import { cleanDir, REDIS_URL } from '../queues/helpers.ts'
import { testPrefix } from '../redis-namespace.ts'

const run = promisify(execFile)

// `npm start` is `ngovoices start`: the ASP21 week rehearsed into the outbox. Run as a user runs it, faster.
describe('ngovoices start (rehearsal)', () => {
  const tmp = join('test', '.tmp', `cli-start-${randomBytes(5).toString('hex')}`)
  const prefix = testPrefix('start')
  afterAll(() => cleanDir(tmp))

  it('posts every planned thread to the outbox once, in plan order, exits 0 and leaves Redis clean', async () => {
    const { stdout } = await run(process.execPath, ['bin/ngovoices.mjs', 'start', '--speed', '40000'], {
      env: {
        ...process.env,
        REDIS_URL,
        NGOVOICES_QUEUE_PREFIX: prefix,
        NGOVOICES_OUTBOX_DIR: join(tmp, 'outbox'),
        NGOVOICES_CACHE_DIR: join(tmp, 'cache'),
        LOG_LEVEL: 'warn',
      },
      timeout: 120_000,
    })
    expect(stdout).toMatch(/Rehearsal done: \d+ posted, 0 cancelled, 0 failed, 0 missed, 0 unconfirmed/)
    const [runDir, ...others] = await readdir(join(tmp, 'outbox'))
    expect(others).toEqual([])
    const posted = listOutbox(join(tmp, 'outbox', runDir ?? ''))

    // What the plan says, computed the way start computes it.
    const bank = await loadBank('fixtures/asp21')
    const plan = await planDeps.plan(bank)
    const planned = plan.slots.filter((s) => s.status === 'planned').sort((a, b) => a.at.localeCompare(b.at))
    expect(planned.length).toBeGreaterThan(5)
    for (const platform of campaignPlatforms(bank.campaign)) {
      const threads = posted.filter((t) => t.platform === platform)
      // Each planned thread once (one run each), in the order of its slot.
      expect(threads.map((t) => t.threadId)).toEqual(planned.map((s) => s.threadId))
      for (const t of threads) {
        expect(t.parts.map((p) => p.index)).toEqual(t.parts.map((_, i) => i))
        // A thread: every part after the first replies to the one before; the first carries the card.
        for (const [i, p] of t.parts.entries()) if (i > 0) expect(p.replyTo).toBe(t.parts[i - 1]?.key)
        expect(t.parts[0]?.image?.alt.length).toBeGreaterThan(20)
      }
    }
    expect(stdout.match(/^ {2}\w{3} \d+ \w{3} 2022 \d\d:\d\d {2}(x|bluesky) /gm)).toHaveLength(posted.length)
    const redis = new Redis(REDIS_URL)
    expect(await redis.keys(`${prefix}*`)).toEqual([])
    redis.disconnect()
  })

  it('--live on a session already over refuses with the reason and the way out, before touching Redis', async () => {
    const err = await run(process.execPath, ['bin/ngovoices.mjs', 'start', '--live', 'fixtures/asp21'], {
      env: { ...process.env, REDIS_URL, NGOVOICES_QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' },
      timeout: 60_000,
    }).then(
      () => undefined,
      (e: unknown) => e as { code: number; stdout: string; stderr: string },
    )
    expect(err?.code).toBe(1)
    expect(err?.stderr.trim()).toBe(
      'fixtures/asp21/campaign.yaml  the session ended on 2022-12-11 (Europe/Amsterdam): --live would only mark every post missed  (leave out --live to rehearse the week into the outbox, or set the coming session days in campaign.yaml)',
    )
    const redis = new Redis(REDIS_URL)
    expect(await redis.keys(`${prefix}*`)).toEqual([])
    redis.disconnect()
  })
})
