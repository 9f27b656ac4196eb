import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { listPosts } from '../platforms/bluesky-helpers.ts'
import { partsOf, REDIS_URL, until, useHarness } from './helpers.ts'
import { spawnWorker, usePlatformRig } from './platform-rig.ts'

// Issue 15, Must show 1: a 429 heard by one worker process holds that platform for every worker process until
// the reset (BullMQ enforces the hold across processes only for workers with a limiter), while the other
// platform's queue keeps posting. Two real worker processes, the real X client against the fake X, a real PDS.
describe('a rate-limit hold across worker processes', () => {
  const h = useHarness()
  const used = usePlatformRig('hold')
  const children = used.children

  it('a 429 with a 5 s reset: no request reaches X from either worker before the reset; Bluesky keeps posting', async () => {
    const env = used.rig.workerEnv({
      redisUrl: REDIS_URL,
      prefix: h.q.prefix,
      cacheDir: join(h.dir, 'cache'),
    })
    children.push(await spawnWorker(env), await spawnWorker(env))
    used.rig.xProxy.failNext({ kind: 'rate-limit', resetMs: 5000 }, { method: 'POST', path: '/2/tweets' })
    const t0 = Date.now()
    const first = { quoteId: 'nur-rohingya-victim', at: t0, platforms: ['x' as const] }
    await h.schedule([first])
    const limited = await until('X to answer 429', async () =>
      used.rig.xProxy.requests.find((r) => r.fault === 'rate-limit'),
    )
    const resetAt = limited.resetAt ?? 0
    expect(resetAt).toBeGreaterThan(limited.at + 4000)
    // While X is held, more threads fall due, on both platforms: both workers are free to take them.
    const both = ['x', 'bluesky'] as const
    const others = ['ajar-myanmar-prioritise', 'ajar-philippines-resume']
    await h.schedule([first, ...others.map((quoteId) => ({ quoteId, at: Date.now(), platforms: [...both] }))])
    const jobs = [
      ...['nur-rohingya-victim', ...others].map((id) => ({
        id: `asp21.asp21-${id}.x`,
        platform: 'x' as const,
      })),
      ...others.map((id) => ({ id: `asp21.asp21-${id}.bluesky`, platform: 'bluesky' as const })),
    ]
    for (const j of jobs) {
      const done = await h.settled(j.id, ['completed', 'failed'], j.platform)
      expect({ id: j.id, state: await done.getState(), reason: done.failedReason }).toEqual({
        id: j.id,
        state: 'completed',
        reason: undefined,
      })
    }

    // Not one request to X, from either process, between the 429 and its reset.
    const duringHold = used.rig.xProxy.requests.filter((r) => r.at > limited.at && r.at < resetAt)
    expect(duringHold).toEqual([])
    // Bluesky posted meanwhile.
    const blueskyPosts = used.rig.pdsProxy.requests.filter(
      (r) => r.path.endsWith('com.atproto.repo.createRecord') && r.status === 200,
    )
    expect(blueskyPosts.filter((r) => r.at > limited.at && r.at < resetAt).length).toBeGreaterThan(0)

    // And every part of every thread exists once: on X (fake X's own records) and on the PDS (read back).
    const xParts = await partsOf(h.dir, ['nur-rohingya-victim', ...others], 'x')
    expect(used.rig.fakeX.tweets).toHaveLength(xParts)
    expect(new Set(used.rig.fakeX.tweets.map((t) => t.text)).size).toBe(xParts)
    const posts = await listPosts(used.rig.pds.reader, used.rig.pds.did)
    expect(posts).toHaveLength(await partsOf(h.dir, others, 'bluesky'))
  })
})
