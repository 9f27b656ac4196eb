import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { liveClock } from '../../queues/clock.ts'
import { type RunningWorkers, scheduleSweep, startWorkers } from '../../queues/worker.ts'
import {
  bankCopy,
  cleanDir,
  journalPublisher,
  planHolder,
  planOf,
  publishDepsWith,
  silent,
  testQueues,
  until,
} from './helpers.ts'

// The reconcile sweep: one job scheduler per campaign (so one run across all workers) that re-syncs the plan.
describe('reconcile sweep', () => {
  let q: Awaited<ReturnType<typeof testQueues>>
  let dir: string
  const running: RunningWorkers[] = []
  beforeEach(async () => {
    q = await testQueues()
    dir = await bankCopy()
  })
  afterEach(async () => {
    for (const w of running.splice(0)) await w.close(true)
    await q.drop()
    await cleanDir(dir)
  })

  it('is one scheduler however often it is registered, and picks up a moved slot by itself', async () => {
    const day = 24 * 3_600_000
    const at = Date.now() + day
    const plans = planHolder(planOf([{ quoteId: 'nur-rohingya-victim', at }]))
    // Every second here; every five minutes in real use.
    for (let i = 0; i < 3; i++) await scheduleSweep(q, dir, 'asp21', 'Europe/Amsterdam', '* * * * * *')
    const schedulers = await q.sweep.getJobSchedulers()
    expect(schedulers.map((s) => [s.key, s.pattern, s.tz])).toEqual([
      ['reconcile.asp21', '* * * * * *', 'Europe/Amsterdam'],
    ])
    // Two workers share the sweep queue.
    for (let i = 0; i < 2; i++) {
      running.push(
        startWorkers({
          q,
          deps: publishDepsWith(journalPublisher(`${dir}/journal.jsonl`)),
          planDeps: plans,
          clock: liveClock,
          graceMs: 60_000,
          log: silent,
          cards: false,
        }),
      )
    }
    const jobId = 'asp21.asp21-nur-rohingya-victim.x'
    const added = await until('the sweep to add the job', () => q.publish.x.getJob(jobId))
    expect(added.data.at).toBe(new Date(at).toISOString())
    plans.set(planOf([{ quoteId: 'nur-rohingya-victim', at: at + day }]))
    const moved = await until('the sweep to move it', async () => {
      const j = await q.publish.x.getJob(jobId)
      return j?.data.at === new Date(at + day).toISOString() ? j : undefined
    })
    expect(moved.timestamp + moved.delay).toBeGreaterThanOrEqual(at + day - 5000)
    expect(await moved.getState()).toBe('delayed')
  })
})
