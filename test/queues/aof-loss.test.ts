import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { liveClock } from '../../queues/clock.ts'
import { obliterateAll, openQueues, type Queues } from '../../queues/queues.ts'
import { syncPlan } from '../../queues/sync.ts'
import { listPosts } from '../platforms/bluesky-helpers.ts'
import { testPrefix } from '../redis-namespace.ts'
import { bankCopy, cleanDir, partsOf, planHolder, planOf, until } from './helpers.ts'
import { type OwnRedis, startOwnRedis } from './own-redis.ts'
import { killWorker, spawnWorker, usePlatformRig } from './platform-rig.ts'

// Issue 15, Must show 4: Redis comes back from an AOF that lost its last writes (the record keys and the
// in-flight mark among them) after the PDS took a part. The keys are worked out again from the slot and the
// thread, so the part is found on the PDS instead of being posted under a fresh key.
describe('Redis losing its last writes', () => {
  const used = usePlatformRig('aof')
  const opened: { redis?: OwnRedis; q?: Queues; dir?: string } = {}
  afterEach(async () => {
    if (opened.q) {
      await obliterateAll(opened.q)
      await opened.q.close()
      opened.q.redis.disconnect()
    }
    await opened.redis?.close()
    if (opened.dir) await cleanDir(opened.dir)
  })

  it('a thread whose checkpoint was lost after a part was accepted finishes without a second copy', async () => {
    const dir = await bankCopy()
    opened.dir = dir
    const own = await startOwnRedis(join(dir, 'redis'))
    opened.redis = own
    const q = openQueues(new Redis(own.url, { maxRetriesPerRequest: null }), testPrefix('aof'))
    opened.q = q
    const slots = [
      {
        quoteId: 'nur-rohingya-victim',
        at: Date.now() + 1500,
        platforms: ['bluesky' as const, 'x' as const],
      },
    ]
    await syncPlan(q, planHolder(planOf(slots)), {
      dir,
      clock: liveClock,
      cacheDir: 'unused',
      retryDelayMs: 300,
    })
    // What the AOF holds before the worker writes anything: the job, without keys or checkpoint.
    await own.snapshot('queued')

    const env = used.rig.workerEnv({ redisUrl: own.url, prefix: q.prefix, cacheDir: join(dir, 'cache') })
    const createRecord = { method: 'POST', path: 'com.atproto.repo.createRecord' }
    const tweet = { method: 'POST', path: /\/2\/tweets$/ }
    used.rig.pdsProxy.failNext({ kind: 'hang-after-commit' }, createRecord)
    used.rig.xProxy.failNext({ kind: 'hang-after-commit' }, tweet)
    const accepted = Promise.all([
      used.rig.pdsProxy.committed(createRecord),
      used.rig.xProxy.committed(tweet),
    ])
    const first = await spawnWorker(env)
    used.children.push(first)
    await accepted
    const jobId = 'asp21.asp21-nur-rohingya-victim.bluesky'
    const keys = (await q.publish.bluesky.getJob(jobId))?.data.keys
    expect(keys?.length).toBeGreaterThan(1)

    // Power cut: the worker and Redis die; Redis comes back without anything written after the snapshot.
    await killWorker(first)
    await own.kill()
    await own.start('queued')
    const restored = await until('the queue to answer again', async () =>
      q.publish.bluesky.getJob(jobId).catch(() => undefined),
    )
    expect(restored.data.keys).toBeUndefined()
    expect(restored.data.inFlight).toBeUndefined()

    used.children.push(await spawnWorker(env))
    const done = await until('the thread to finish', async () => {
      const job = await q.publish.bluesky.getJob(jobId)
      const state = await job?.getState()
      return state === 'completed' || state === 'failed' ? { job, state } : undefined
    })
    expect(done.state).toBe('completed')
    // The same keys again, and the PDS holds each part once: the accepted part was found, not posted again.
    expect(done.job?.data.keys).toEqual(keys)
    const parts = await partsOf(dir, ['nur-rohingya-victim'], 'bluesky')
    const posts = await listPosts(used.rig.pds.reader, used.rig.pds.did)
    expect(posts).toHaveLength(parts)
    expect(posts.map((p) => p.uri.split('/').pop()).sort()).toEqual([...(keys ?? [])].sort())
    const creates = used.rig.pdsProxy.requests.filter((r) => r.path.endsWith('createRecord'))
    expect(creates).toHaveLength(parts)

    // X has no keys of ours: with no checkpoint left, the worker read the account's recent posts before the
    // first part, found it, and sent only the rest.
    const x = await until('the X thread to finish', async () => {
      const job = await q.publish.x.getJob('asp21.asp21-nur-rohingya-victim.x')
      return (await job?.getState()) === 'completed' ? job : undefined
    })
    const xParts = await partsOf(dir, ['nur-rohingya-victim'], 'x')
    expect(
      used.rig.xProxy.requests.filter((r) => r.method === 'POST' && tweet.path.test(r.path)),
    ).toHaveLength(xParts)
    expect(used.rig.fakeX.tweets.map((t) => t.id)).toEqual(x.returnvalue.refs.map((r) => r.id))
  })
})
