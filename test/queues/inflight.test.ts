import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Platform } from '../../src/quotes/schema.ts'
import type { ProxiedRequest, ProxyMatch } from '../fault-proxy/proxy.ts'
import { listPosts } from '../platforms/bluesky-helpers.ts'
import { partsOf, REDIS_URL, useHarness } from './helpers.ts'
import { killWorker, spawnWorker, usePlatformRig } from './platform-rig.ts'

// Issue 15, Must show 2: the in-flight mark survives every failure that does not come from the post request itself.
// A part reaches the platform, the worker dies before its checkpoint, and the next worker's session calls fail
// with 429 and then 5xx: the accepted part is found by lookup, never sent again, and the rest goes out once.
describe('the in-flight mark after a kill and failing session calls', () => {
  const h = useHarness()
  const used = usePlatformRig('inflight')
  const children = used.children

  const createRecord: ProxyMatch = { method: 'POST', path: 'com.atproto.repo.createRecord' }
  const refreshSession: ProxyMatch = { method: 'POST', path: 'com.atproto.server.refreshSession' }
  const tweet: ProxyMatch = { method: 'POST', path: /\/2\/tweets$/ }
  const me: ProxyMatch = { method: 'GET', path: '/2/users/me' }
  const lookup: ProxyMatch = { method: 'GET', path: /\/2\/users\/\d+\/tweets$/ }
  const matching = (reqs: ProxiedRequest[], m: ProxyMatch) =>
    reqs.filter(
      (r) =>
        r.method === m.method &&
        (typeof m.path === 'string' ? r.path.includes(m.path) : (m.path?.test(r.path) ?? true)),
    )

  it('finds the part the platform took, after 429 and 5xx from the session calls, and posts each part once', async () => {
    const env = (timeoutMs: number) =>
      used.rig.workerEnv({
        redisUrl: REDIS_URL,
        prefix: h.q.prefix,
        cacheDir: join(h.dir, 'cache'),
        timeoutMs,
      })
    children.push(await spawnWorker(env(8000)))
    // The first post on each platform is taken, and its answer never comes back.
    used.rig.pdsProxy.failNext({ kind: 'hang-after-commit' }, createRecord)
    used.rig.xProxy.failNext({ kind: 'hang-after-commit' }, tweet)
    const landed = Promise.all([used.rig.pdsProxy.committed(createRecord), used.rig.xProxy.committed(tweet)])
    await h.schedule([{ quoteId: 'nur-rohingya-victim', at: Date.now(), platforms: ['x', 'bluesky'] }], {
      retryDelayMs: 300,
    })
    await landed
    const jobs: Record<Platform, string> = {
      x: 'asp21.asp21-nur-rohingya-victim.x',
      bluesky: 'asp21.asp21-nur-rohingya-victim.bluesky',
    }
    for (const p of ['x', 'bluesky'] as const) {
      const job = await h.q.publish[p].getJob(jobs[p])
      expect(job?.data.inFlight).toBe(0)
    }
    // The worker dies before it can write either checkpoint.
    const dead = children.pop()
    if (dead) await killWorker(dead)

    // The next worker starts with failing session calls: Bluesky's resume (refreshSession) and X's
    // credentials check answer 429, then 5xx; X's first lookup answers 5xx too.
    used.rig.pdsProxy.failNext({ kind: 'rate-limit', resetMs: 1000 }, refreshSession)
    used.rig.pdsProxy.failNext({ kind: 'server-error' }, refreshSession)
    used.rig.xProxy.failNext({ kind: 'rate-limit', resetMs: 1000 }, me)
    used.rig.xProxy.failNext({ kind: 'server-error' }, me)
    used.rig.xProxy.failNext({ kind: 'server-error' }, lookup)
    children.push(await spawnWorker(env(3000)))
    for (const p of ['x', 'bluesky'] as const) {
      const done = await h.settled(jobs[p], ['completed', 'failed'], p)
      expect([p, await done.getState()]).toEqual([p, 'completed'])
    }

    // The failures did happen, in the next worker.
    const pdsFaults = matching(used.rig.pdsProxy.requests, refreshSession).map((r) => r.fault)
    expect(pdsFaults).toEqual(expect.arrayContaining(['rate-limit', 'server-error']))
    const xFaults = matching(used.rig.xProxy.requests, me).map((r) => r.fault)
    expect(xFaults).toEqual(expect.arrayContaining(['rate-limit', 'server-error']))

    // Bluesky: one createRecord per part, the first one by the dead worker; the PDS holds each part once.
    const blueskyParts = await partsOf(h.dir, ['nur-rohingya-victim'], 'bluesky')
    expect(matching(used.rig.pdsProxy.requests, createRecord)).toHaveLength(blueskyParts)
    const posts = await listPosts(used.rig.pds.reader, used.rig.pds.did)
    expect(posts).toHaveLength(blueskyParts)
    const bluesky = await h.q.publish.bluesky.getJob(jobs.bluesky)
    expect(bluesky?.returnvalue.refs.map((r) => r.uri).sort()).toEqual(posts.map((p) => p.uri).sort())

    // X: one POST /2/tweets per part, the first by the dead worker, found by the lookup; the chain is whole.
    const xParts = await partsOf(h.dir, ['nur-rohingya-victim'], 'x')
    expect(matching(used.rig.xProxy.requests, tweet)).toHaveLength(xParts)
    expect(used.rig.fakeX.tweets).toHaveLength(xParts)
    const x = await h.q.publish.x.getJob(jobs.x)
    const refs = x?.returnvalue.refs ?? []
    expect(refs.map((r) => r.id)).toEqual(used.rig.fakeX.tweets.map((t) => t.id))
    for (const [i, t] of used.rig.fakeX.tweets.entries()) if (i > 0) expect(t.inReplyTo).toBe(refs[i - 1]?.id)
  })

  // Issue 15, Must show 3: a session call that never answers gives up within the time limit.
  it('a session refresh that never answers: the job gives up within the limit and the retry posts the thread once', async () => {
    const limitMs = 1500
    const env = used.rig.workerEnv({
      redisUrl: REDIS_URL,
      prefix: h.q.prefix,
      cacheDir: join(h.dir, 'cache'),
      timeoutMs: limitMs,
    })
    const slots = [{ quoteId: 'ajar-myanmar-prioritise', at: Date.now(), platforms: ['bluesky' as const] }]
    // A first worker logs in, posts and leaves its session behind, as a worker that restarts would find it.
    const first = await spawnWorker(env)
    children.push(first)
    await h.schedule(slots, { retryDelayMs: 300 })
    await h.settled('asp21.asp21-ajar-myanmar-prioritise.bluesky', ['completed'], 'bluesky')
    await killWorker(first)

    // The next worker resumes that session with a refreshSession that never gets an answer.
    used.rig.pdsProxy.failNext({ kind: 'hang' }, refreshSession)
    const before = used.rig.pdsProxy.requests.length
    const postsBefore = (await listPosts(used.rig.pds.reader, used.rig.pds.did)).length
    children.push(await spawnWorker(env))
    slots.push({ quoteId: 'ajar-philippines-resume', at: Date.now(), platforms: ['bluesky'] })
    await h.schedule(slots, { retryDelayMs: 300 })
    const jobId = 'asp21.asp21-ajar-philippines-resume.bluesky'
    const done = await h.settled(jobId, ['completed', 'failed'], 'bluesky')
    expect(await done.getState()).toBe('completed')
    // The first attempt failed on the hung refresh, within the limit: retried, not held for minutes.
    expect(done.attemptsMade).toBe(2)
    expect(done.failedReason).toMatch(/resume session: network failure/)
    const refreshes = matching(used.rig.pdsProxy.requests.slice(before), refreshSession)
    expect(refreshes[0]?.fault).toBe('hang')
    const gaveUpAfter = (refreshes[1]?.at ?? Number.POSITIVE_INFINITY) - (refreshes[0]?.at ?? 0)
    expect(gaveUpAfter).toBeGreaterThanOrEqual(limitMs - 50)
    expect(gaveUpAfter).toBeLessThan(limitMs + 3000)
    const parts = await partsOf(h.dir, ['ajar-philippines-resume'], 'bluesky')
    expect((await listPosts(used.rig.pds.reader, used.rig.pds.did)).length - postsBefore).toBe(parts)
  })
})
