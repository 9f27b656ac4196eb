import { describe, expect, it } from 'vitest'
import { liveClock } from '../../queues/clock.ts'
import { cancelThread, retryThread } from '../../queues/control.ts'
import { gatherStatus } from '../../queues/status.ts'
import { syncPlan } from '../../queues/sync.ts'
import { journalPublisher, planHolder, planOf, readJournal, until, useHarness } from './helpers.ts'

// What the person on call does: cancel a thread (it stays cancelled through re-syncs), retry a missed one.
describe('cancel and retry', () => {
  const h = useHarness()
  const day = 24 * 3_600_000

  it('cancels a queued thread on every platform; re-syncing does not bring it back until it is retried', async () => {
    const plans = planHolder(
      planOf([{ quoteId: 'cicc-resources-mandate', at: Date.now() + day, platforms: ['x', 'bluesky'] }]),
    )
    const sync = () => syncPlan(h.q, plans, { dir: h.dir, clock: liveClock, cacheDir: 'unused' })
    await sync()
    const r = await cancelThread(h.q, 'cicc-resources-mandate', 'the speaker asked us to wait')
    expect(r.lines.sort()).toEqual([
      'asp21.asp21-cicc-resources-mandate.bluesky: removed (delayed)',
      'asp21.asp21-cicc-resources-mandate.x: removed (delayed)',
    ])
    const again = await sync()
    expect(again.added).toEqual([])
    expect(again.skipped).toEqual([
      {
        threadId: 'asp21-cicc-resources-mandate',
        quoteId: 'cicc-resources-mandate',
        reason: 'cancelled by hand (ngovoices cancel)',
      },
    ])
    const status = await gatherStatus(h.q)
    expect(status.handCancelled.map((c) => [c.thread, c.reason])).toEqual([
      ['asp21-cicc-resources-mandate', 'the speaker asked us to wait'],
    ])
    // Its jobs are gone, but retry undoes the cancel from the record, and the next sync queues it again.
    expect((await retryThread(h.q, 'cicc-resources-mandate')).lines).toEqual([
      'asp21-cicc-resources-mandate: no longer cancelled by hand; `ngovoices schedule` (or the next sweep) queues it again',
    ])
    expect((await sync()).added.sort()).toEqual([
      'asp21.asp21-cicc-resources-mandate.bluesky',
      'asp21.asp21-cicc-resources-mandate.x',
    ])
  })

  it('posts a missed thread when a person retries it, late as it is', async () => {
    h.worker(journalPublisher(h.journal))
    await h.schedule([{ quoteId: 'cicc-resources-mandate', at: Date.now() - 3 * 3_600_000 }])
    const jobId = 'asp21.asp21-cicc-resources-mandate.x'
    await until(
      'the job to be missed',
      async () => (await (await h.q.publish.x.getJob(jobId))?.getState()) === 'failed',
    )
    expect((await gatherStatus(h.q)).counts.missed).toBe(1)
    expect(await readJournal(h.journal)).toEqual([])
    const r = await retryThread(h.q, 'asp21-cicc-resources-mandate')
    expect(r.lines).toEqual([`${jobId}: queued again (resumes after the last posted part)`])
    const job = await until('the retried job to complete', async () => {
      const j = await h.q.publish.x.getJob(jobId)
      return (await j?.getState()) === 'completed' ? j : undefined
    })
    expect(job.returnvalue.outcome).toBe('posted')
    expect((await readJournal(h.journal)).map((l) => l.part)).toEqual([0, 1, 2])
  })
})
