import { describe, expect, it } from 'vitest'
import { scheduleSweep } from '../../queues/worker.ts'
import { journalPublisher, planHolder, planOf, until, useHarness } from './helpers.ts'

// The reconcile sweep: one job scheduler per campaign (so one run across all workers) that re-syncs the plan.
describe('reconcile sweep', () => {
  const h = useHarness()

  it('is one scheduler however often it is registered, and picks up a moved slot by itself', async () => {
    const day = 24 * 3_600_000
    const at = Date.now() + day
    const plans = planHolder(planOf([{ quoteId: 'nur-rohingya-victim', at }]))
    // Every second here; every five minutes in real use.
    for (let i = 0; i < 3; i++) await scheduleSweep(h.q, 'asp21', 'Europe/Amsterdam', '* * * * * *')
    const schedulers = await h.q.sweep.getJobSchedulers()
    expect(schedulers.map((s) => [s.key, s.pattern, s.tz])).toEqual([
      ['reconcile.asp21', '* * * * * *', 'Europe/Amsterdam'],
    ])
    // Two workers share the sweep queue.
    h.worker(journalPublisher(h.journal), { planDeps: plans })
    h.worker(journalPublisher(h.journal), { planDeps: plans })
    const jobId = 'asp21.asp21-nur-rohingya-victim.x'
    const added = await until('the sweep to add the job', () => h.q.publish.x.getJob(jobId))
    expect(added.data.at).toBe(new Date(at).toISOString())
    plans.set(planOf([{ quoteId: 'nur-rohingya-victim', at: at + day }]))
    const moved = await until('the sweep to move it', async () => {
      const j = await h.q.publish.x.getJob(jobId)
      return j?.data.at === new Date(at + day).toISOString() ? j : undefined
    })
    // The delay changes before the data (see sync.ts), so once the data shows the move the delay does too.
    expect(moved.timestamp + moved.delay).toBeGreaterThanOrEqual(at + day - 5000)
    expect(await moved.getState()).toBe('delayed')
  })
})
