import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { publishJobId } from '../../queues/names.ts'
import type { PublishJobData } from '../../queues/payload.ts'
import { markRehearsalNamespace } from '../../queues/records.ts'
import { formatStatus, gatherStatus } from '../../queues/status.ts'
import type { BlueskyPublisher } from '../../src/platforms/bluesky.ts'
import { createBlueskyPublisher } from '../../src/platforms/bluesky.ts'
import { createOutboxPublisher } from '../../src/platforms/outbox.ts'
import type { Publisher } from '../../src/platforms/publisher.ts'
import type { XPublisher } from '../../src/platforms/x.ts'
import type { Platform } from '../../src/quotes/schema.ts'
import { type FakeX, startFakeX } from '../fake-x/server.ts'
import { startTestPds, type TestPds } from '../pds/network.ts'
import { listPosts } from '../platforms/bluesky-helpers.ts'
import { pngCard, xPublisherFor } from '../platforms/x-helpers.ts'
import { bankCopy, cleanDir, useHarness } from './helpers.ts'

// @NOTE Jobs carry ids; the worker decides the folder and the mode. These jobs are written straight into Redis
// the way the queue dashboard's "add" (or anyone with the queue) could, and must post nothing anywhere.

describe('a job cannot choose the folder, the campaign or the mode', () => {
  let fake: FakeX
  let x: XPublisher
  let pds: TestPds
  let bluesky: BlueskyPublisher
  let elsewhere: string
  const h = useHarness()

  beforeAll(async () => {
    fake = await startFakeX()
    x = await xPublisherFor(fake, { timeoutMs: 2000 })
    pds = await startTestPds({ area: 'foreign-jobs' })
    bluesky = await createBlueskyPublisher({
      service: pds.service,
      identifier: pds.handle,
      password: pds.password,
    })
    // Another folder with the same campaign id: a job that names it must not make the worker read it.
    elsewhere = await bankCopy()
  })
  afterAll(async () => {
    await x?.close()
    await fake?.close()
    await bluesky?.close()
    await pds?.close()
    if (elsewhere) await cleanDir(elsewhere)
  })

  function job(platform: Platform, extra: Partial<PublishJobData>): PublishJobData {
    return {
      v: 1,
      campaign: 'asp21',
      tz: 'Europe/Amsterdam',
      threadId: 'asp21-nur-rohingya-victim',
      quoteId: 'nur-rohingya-victim',
      platform,
      at: new Date().toISOString(),
      day: '2022-12-05',
      dueAt: Date.now(),
      posted: [],
      ...extra,
    }
  }

  async function add(platform: Platform, data: PublishJobData, thread = data.threadId) {
    const jobId = publishJobId(data.campaign, thread, platform)
    await h.q.publish[platform].add('post', data, { jobId, attempts: 3 })
    return jobId
  }

  /** Every publisher a live worker may use: the real X client against the fake X, the real PDS. */
  const live = async (platform: Platform | 'outbox'): Promise<Publisher> => (platform === 'x' ? x : bluesky)

  it('a live worker refuses a foreign folder, an unknown campaign, and a rehearsal namespace; nothing is posted', async () => {
    h.worker(x, { deps: { publisher: (p) => live(p), card: async () => pngCard('A quote card') } })
    const byFolder = await add('x', job('x', { dir: elsewhere }))
    const byCampaign = await add('bluesky', job('bluesky', { campaign: 'asp22' }))
    const byMode = await add('x', job('x', { mode: 'rehearsal' }), 'asp21-other')

    const reasons = await Promise.all(
      [
        [byFolder, 'x'],
        [byCampaign, 'bluesky'],
        [byMode, 'x'],
      ].map(async ([id = '', p]) => (await h.settled(id, ['failed'], p as Platform)).failedReason),
    )
    expect(reasons[0]).toMatch(
      /^permanent: refused, nothing posted: the job names the folder .+, which is not/,
    )
    expect(reasons[1]).toMatch(/^permanent: refused, nothing posted: campaign "asp22" is not served/)
    expect(reasons[2]).toMatch(/^permanent: refused, nothing posted: the job asks for rehearsal posting/)
    // One attempt each: a refusal is final, not retried.
    for (const [id, p] of [
      [byFolder, 'x'],
      [byMode, 'x'],
    ] as const)
      expect((await h.q.publish[p].getJob(id))?.attemptsMade).toBe(1)

    // A namespace marked as a rehearsal's never reaches a platform, even from a live worker.
    await markRehearsalNamespace(h.q)
    const inRehearsal = await add('bluesky', job('bluesky', {}))
    const failed = await h.settled(inRehearsal, ['failed'], 'bluesky')
    expect(failed.failedReason).toMatch(/is a rehearsal namespace, which never posts to a platform/)

    expect(fake.requests.filter((r) => r.method !== 'GET')).toEqual([])
    expect(fake.tweets).toHaveLength(0)
    expect(await listPosts(pds.reader, pds.did)).toHaveLength(0)

    // `ngovoices status` says why, one line per thread.
    const printed = formatStatus(await gatherStatus(h.q)).join('\n')
    expect(printed).toContain('campaign "asp22" is not served')
    expect(printed).toContain('which is not where campaign asp21 lives')
  })

  it('a rehearsal worker refuses a job that asks for live posting; the outbox stays empty', async () => {
    const outbox = join(h.dir, 'outbox')
    const outboxPublisher = createOutboxPublisher({ dir: outbox })
    h.worker(outboxPublisher, {
      clock: 'rehearsal',
      deps: { card: async () => pngCard('A quote card') },
    })
    const id = await add('x', job('x', { mode: 'live' }))
    const failed = await h.settled(id, ['failed'])
    expect(failed.failedReason).toMatch(/the job asks for live posting, and this worker's mode is rehearsal/)
    await expect(readdir(outbox)).rejects.toMatchObject({ code: 'ENOENT' })
    expect(fake.tweets).toHaveLength(0)
    expect(await listPosts(pds.reader, pds.did)).toHaveLength(0)
  })
})
