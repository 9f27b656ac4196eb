import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { liveClock } from '../../queues/clock.ts'
import { desiredJobs } from '../../queues/desired.ts'
import { recordKey } from '../../queues/names.ts'
import { cancelByHand } from '../../queues/records.ts'
import { syncPlan } from '../../queues/sync.ts'
import { beginSync, endSync, FINGERPRINTED_FIELDS } from '../../queues/sync-fingerprint.ts'
import { loadBank } from '../../src/quotes/load.ts'
import { bankCopy, cleanDir, editQuotes, planHolder, planOf, redisDump, testQueues } from './helpers.ts'

// Syncing the plan into Redis: idempotent, moves by changeDelay, removes what left the bank; a sync with nothing
// to do writes nothing (the fingerprint), while anything a full sync would act on is still acted on.
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

  /** The three test threads, each this many hours after `base` (by default 0, 2 and 4). */
  const plan = (h: { ajar?: number; nur?: number; cicc?: number } = {}) =>
    planOf([
      { quoteId: 'ajar-myanmar-prioritise', at: base + (h.ajar ?? 0) * hour, platforms: ['x', 'bluesky'] },
      { quoteId: 'nur-rohingya-victim', at: base + (h.nur ?? 2) * hour },
      { quoteId: 'cicc-political-support', at: base + (h.cicc ?? 4) * hour, platforms: ['bluesky'] },
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
    const moved = plan({ nur: 30 })
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

  // The fingerprint (queues/sync-fingerprint.ts).
  const sync = (deps: ReturnType<typeof planHolder>, now?: number) =>
    syncPlan(q, deps, { dir, clock: liveClock, cacheDir: 'x', ...(now ? { now: () => now } : {}) })
  const jobIds = async () =>
    [
      ...(await q.publish.x.getJobs(['delayed', 'waiting'])),
      ...(await q.publish.bluesky.getJobs(['delayed', 'waiting'])),
    ]
      .map((j) => `${j.id} ${j.data.at}`)
      .sort()
  const record = () => q.redis.hget(recordKey(q.prefix, 'synced'), 'asp21')

  it('writes nothing when nothing changed, even after the clock passed a slot, and reports as a full sync would', async () => {
    const deps = planHolder(plan())
    await sync(deps)
    expect(await record()).not.toBeNull()
    const before = await redisDump(q.prefix)
    const again = await sync(deps, base + 3 * hour)
    expect(await redisDump(q.prefix)).toBe(before)
    // The same sync without the record does the whole work, and finds nothing to change either.
    await q.redis.hdel(recordKey(q.prefix, 'synced'), 'asp21')
    const full = await sync(deps, base + 3 * hour)
    expect(await redisDump(q.prefix)).not.toBe(before)
    for (const r of [again, full]) {
      expect(r.added).toEqual([])
      expect(r.moved).toEqual([])
      expect(r.removed).toEqual([])
    }
    expect(again.unchanged).toBe(4)
    expect(full.unchanged).toBe(4)
    expect(again.kept).toEqual(full.kept)
  })

  it('applies a moved slot, a withdrawn consent and a hand cancel although a fingerprint is stored', async () => {
    const deps = planHolder(plan())
    await sync(deps)
    await sync(deps)
    expect(await record()).not.toBeNull()
    deps.set(plan({ nur: 30 }))
    const moved = await sync(deps)
    expect(moved.moved.map((m) => m.jobId)).toEqual(['asp21.asp21-nur-rohingya-victim.x'])

    await editQuotes(dir, (quotes) =>
      quotes.map((x) => (x.id === 'cicc-political-support' ? { ...x, consent: { status: 'withdrawn' } } : x)),
    )
    const withdrawn = await sync(deps)
    expect(withdrawn.removed).toEqual([
      { jobId: 'asp21.asp21-cicc-political-support.bluesky', reason: 'consent is withdrawn' },
    ])

    await cancelByHand(q, {
      campaign: 'asp21',
      threadId: 'asp21-ajar-myanmar-prioritise',
      quoteId: 'ajar-myanmar-prioritise',
      reason: 'test',
    })
    const cancelled = await sync(deps)
    expect(cancelled.removed.map((r) => r.jobId).sort()).toEqual([
      'asp21.asp21-ajar-myanmar-prioritise.bluesky',
      'asp21.asp21-ajar-myanmar-prioritise.x',
    ])
    expect(await jobIds()).toEqual([
      `asp21.asp21-nur-rohingya-victim.x ${new Date(base + 30 * hour).toISOString()}`,
    ])
  })

  it('puts back a job removed by hand or its key deleted (the queue holds other jobs than the fingerprint says)', async () => {
    const deps = planHolder(plan())
    await sync(deps)
    const before = await jobIds()
    expect(await q.publish.x.remove('asp21.asp21-nur-rohingya-victim.x')).toBe(1)
    const r = await sync(deps)
    expect(r.added).toEqual(['asp21.asp21-nur-rohingya-victim.x'])
    expect(await jobIds()).toEqual(before)
    // Removed by hand again, and another thread moved: both are seen, though most jobs are not read again.
    expect(await q.publish.x.remove('asp21.asp21-nur-rohingya-victim.x')).toBe(1)
    deps.set(plan({ cicc: 6 }))
    const both = await sync(deps)
    expect(both.added).toEqual(['asp21.asp21-nur-rohingya-victim.x'])
    expect(both.moved.map((m) => m.jobId)).toEqual(['asp21.asp21-cicc-political-support.bluesky'])
    // Its key deleted under BullMQ's feet (its id stays in the delayed set): put back too.
    const after = await jobIds()
    await q.redis.del(q.publish.x.toKey('asp21.asp21-nur-rohingya-victim.x'))
    expect(await jobIds()).not.toEqual(after)
    expect((await sync(deps)).added).toEqual(['asp21.asp21-nur-rohingya-victim.x'])
    expect(await jobIds()).toEqual(after)
  })

  it("moves a slot back when the move is undone (the board's undo)", async () => {
    const deps = planHolder(plan())
    await sync(deps)
    const before = await jobIds()
    const moved = plan({ ajar: 1 })
    deps.set(moved)
    expect((await sync(deps)).moved).toHaveLength(2)
    deps.set(plan())
    expect((await sync(deps)).moved).toHaveLength(2)
    expect(await jobIds()).toEqual(before)
    expect((await sync(deps)).unchanged).toBe(4)
  })

  it('stores no record when another sync overlapped, whichever ends last', async () => {
    const rec = { inputs: 'a', jobs: 'b', steady: { unchanged: 0, kept: [], held: [] } }
    // The inner sync ends first and may store; the outer one, which wrote, then drops what the inner stored.
    const { gen: outer } = await beginSync(q, 'asp21')
    const { gen: inner } = await beginSync(q, 'asp21')
    expect(await endSync(q, 'asp21', inner, rec, false)).toBe(true)
    expect(await endSync(q, 'asp21', outer, rec, true)).toBe(false)
    expect(await record()).toBeNull()
    // Two that cross: the first to end saw the other begin, the second saw the first end.
    const { gen: a } = await beginSync(q, 'asp21')
    const { gen: b } = await beginSync(q, 'asp21')
    expect(await endSync(q, 'asp21', a, rec, true)).toBe(false)
    expect(await endSync(q, 'asp21', b, rec, true)).toBe(false)
    expect(await record()).toBeNull()
    // Alone, it stores.
    const { gen: c } = await beginSync(q, 'asp21')
    expect(await endSync(q, 'asp21', c, rec, true)).toBe(true)
    expect(JSON.parse((await record()) ?? '{}')).toEqual(rec)
  })

  it('covers every field of a publish job payload', async () => {
    const bank = await loadBank(dir)
    const { jobs } = desiredJobs(bank, plan(), liveClock, () => false)
    expect(jobs.length).toBeGreaterThan(0)
    for (const j of jobs) expect(Object.keys(j.data).sort()).toEqual([...FINGERPRINTED_FIELDS].sort())
  })
})
