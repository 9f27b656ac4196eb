import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { liveClock } from '../../queues/clock.ts'
import { syncPlan } from '../../queues/sync.ts'
import { bankCopy, cleanDir, editQuotes, planHolder, planOf, testQueues } from './helpers.ts'

// Syncing the plan into Redis: idempotent, moves by changeDelay, removes what left the bank.
describe('syncPlan', () => {
  let q: Awaited<ReturnType<typeof testQueues>>
  let dir: string
  const hour = 3_600_000
  const base = Date.now() + 24 * hour

  beforeEach(async () => {
    q = await testQueues()
    dir = await bankCopy()
  })
  afterEach(async () => {
    await q.drop()
    await cleanDir(dir)
  })

  const plan = () =>
    planOf([
      { quoteId: 'ajar-myanmar-prioritise', at: base, platforms: ['x', 'bluesky'] },
      { quoteId: 'nur-rohingya-victim', at: base + 2 * hour },
      { quoteId: 'cicc-political-support', at: base + 4 * hour, platforms: ['bluesky'] },
    ])
  const snapshot = async () => {
    const jobs = [
      ...(await q.publish.x.getJobs(['delayed', 'waiting'])),
      ...(await q.publish.bluesky.getJobs(['delayed', 'waiting'])),
    ]
    return jobs
      .map((j) => ({ id: j.id, due: j.timestamp + j.delay, at: j.data.at }))
      .sort((a, b) => String(a.id).localeCompare(String(b.id)))
  }

  it('gives the same jobs when run twice, one per thread × platform, with deterministic ids', async () => {
    const deps = planHolder(plan())
    const first = await syncPlan(q, deps, { dir, clock: liveClock, cacheDir: 'x' })
    expect(first.added.sort()).toEqual([
      'asp21.asp21-ajar-myanmar-prioritise.bluesky',
      'asp21.asp21-ajar-myanmar-prioritise.x',
      'asp21.asp21-cicc-political-support.bluesky',
      'asp21.asp21-nur-rohingya-victim.x',
    ])
    const before = await snapshot()
    const second = await syncPlan(q, deps, { dir, clock: liveClock, cacheDir: 'x' })
    expect(second.added).toEqual([])
    expect(second.moved).toEqual([])
    expect(second.removed).toEqual([])
    expect(second.unchanged).toBe(4)
    expect(await snapshot()).toEqual(before)
    expect(before.map((j) => j.due)).toEqual([base, base, base + 4 * hour, base + 2 * hour])
  })

  it('moves a job whose slot moved, by changing its delay', async () => {
    const deps = planHolder(plan())
    await syncPlan(q, deps, { dir, clock: liveClock, cacheDir: 'x' })
    const moved = planOf([
      { quoteId: 'ajar-myanmar-prioritise', at: base, platforms: ['x', 'bluesky'] },
      { quoteId: 'nur-rohingya-victim', at: base + 30 * hour },
      { quoteId: 'cicc-political-support', at: base + 4 * hour, platforms: ['bluesky'] },
    ])
    deps.set(moved)
    const r = await syncPlan(q, deps, { dir, clock: liveClock, cacheDir: 'x' })
    expect(r.moved.map((m) => m.jobId)).toEqual(['asp21.asp21-nur-rohingya-victim.x'])
    const job = await q.publish.x.getJob('asp21.asp21-nur-rohingya-victim.x')
    expect(await job?.getState()).toBe('delayed')
    expect(job?.data.at).toBe(new Date(base + 30 * hour).toISOString())
    expect((job?.timestamp ?? 0) + (job?.delay ?? 0)).toBeGreaterThanOrEqual(base + 30 * hour - 5_000)
    expect((job?.timestamp ?? 0) + (job?.delay ?? 0)).toBeLessThanOrEqual(base + 30 * hour + 5_000)
  })

  it('removes the job of a quote deleted from the bank, and of one whose consent was withdrawn', async () => {
    const deps = planHolder(plan())
    await syncPlan(q, deps, { dir, clock: liveClock, cacheDir: 'x' })
    // Delete Nur's quote and withdraw consent for the Coalition's own one.
    await editQuotes(dir, (quotes) =>
      quotes
        .filter((x) => x.id !== 'nur-rohingya-victim')
        .map((x) => (x.id === 'cicc-political-support' ? { ...x, consent: { status: 'withdrawn' } } : x)),
    )
    const r = await syncPlan(q, deps, { dir, clock: liveClock, cacheDir: 'x' })
    expect(r.removed.map((m) => m.jobId).sort()).toEqual([
      'asp21.asp21-cicc-political-support.bluesky',
      'asp21.asp21-nur-rohingya-victim.x',
    ])
    expect(r.removed.find((m) => m.jobId.includes('cicc'))?.reason).toBe('consent is withdrawn')
    expect(await q.publish.x.getJob('asp21.asp21-nur-rohingya-victim.x')).toBeUndefined()
    expect((await snapshot()).map((j) => j.id)).toEqual([
      'asp21.asp21-ajar-myanmar-prioritise.bluesky',
      'asp21.asp21-ajar-myanmar-prioritise.x',
    ])
  })
})
