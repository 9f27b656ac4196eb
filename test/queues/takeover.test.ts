import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { liveClock } from '../../queues/clock.ts'
import { pauseAll, resumeAll } from '../../queues/control.ts'
import { syncPlan } from '../../queues/sync.ts'
import { type RunningWorkers, startWorkers } from '../../queues/worker.ts'
import {
  bankCopy,
  cleanDir,
  journalPublisher,
  planHolder,
  planOf,
  publishDepsWith,
  readJournal,
  silent,
  testQueues,
  until,
} from './helpers.ts'

// Several workers sharing one Redis: a killed worker's thread is finished by another, each part once;
// pause stops every worker, resume lets them all go on.
describe('workers sharing one Redis', () => {
  let q: Awaited<ReturnType<typeof testQueues>>
  let dir: string
  let journal: string
  let child: ChildProcess | undefined
  const running: RunningWorkers[] = []

  beforeEach(async () => {
    q = await testQueues()
    dir = await bankCopy()
    journal = join(dir, 'journal.jsonl')
  })
  afterEach(async () => {
    child?.kill('SIGKILL')
    for (const w of running.splice(0)) await w.close(true)
    await q.drop()
    await cleanDir(dir)
  })

  function worker(publisher: ReturnType<typeof journalPublisher>) {
    const w = startWorkers({
      q,
      deps: publishDepsWith(publisher),
      planDeps: planHolder(planOf([])),
      clock: liveClock,
      graceMs: 30 * 60_000,
      log: silent,
      cards: false,
      timings: { lockDuration: 1000, stalledInterval: 500 },
    })
    running.push(w)
    return w
  }
  const schedule = (slots: Parameters<typeof planOf>[0]) =>
    syncPlan(q, planHolder(planOf(slots)), { dir, clock: liveClock, cacheDir: 'unused' })
  const jobId = 'asp21.asp21-nur-rohingya-victim.x'

  it('finishes a thread whose worker was SIGKILLed after the platform took part 2, posting each part once', async () => {
    // The child posts part 1, then part 2 reaches the platform and the process dies before the checkpoint.
    child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/queues/child-worker.ts', q.prefix, journal, '2', 'post-then-hang'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    await schedule([{ quoteId: 'nur-rohingya-victim', at: Date.now() }])
    await until('part 2 to be in flight in the child', async () => {
      const job = await q.publish.x.getJob(jobId)
      return job?.data.inFlight === 1 && (await readJournal(journal)).length === 2
    })
    child.kill('SIGKILL')
    await new Promise((ok) => child?.once('exit', ok))

    const publisher = journalPublisher(journal)
    worker(publisher)
    const job = await until('another worker to finish the thread', async () => {
      const j = await q.publish.x.getJob(jobId)
      return (await j?.getState()) === 'completed' ? j : undefined
    })
    expect(job.returnvalue.outcome).toBe('posted')
    const lines = await readJournal(journal)
    expect(lines.map((l) => l.part)).toEqual([0, 1, 2])
    expect(lines[2]?.parent).toBe(lines[1]?.key)
    // Only part 3 was posted by the second worker: part 2 was found by its key, not posted again.
    expect(publisher.calls).toBe(1)
  })

  it('pause stops posting on two workers at once, also between the parts of a running thread', async () => {
    let paused = 0
    let total = 0
    // The first part posted, by whichever worker, triggers the pause while its thread is being posted.
    const onCall = async () => {
      if (++total === 1) {
        await pauseAll(q)
        paused = Date.now()
      }
    }
    const a = journalPublisher(journal, { onCall })
    const b = journalPublisher(journal, { onCall })
    worker(a)
    worker(b)
    const t0 = Date.now()
    await schedule([
      { quoteId: 'nur-rohingya-victim', at: t0 },
      { quoteId: 'ajar-myanmar-prioritise', at: t0 + 100 },
      { quoteId: 'ajar-philippines-resume', at: t0 + 200 },
    ])
    await until('the pause', async () => paused > 0)
    // Nothing more goes out while paused, though three threads are due and two workers are idle.
    const watchUntil = paused + 2000
    await until(
      'two seconds of pause with nothing posted',
      async () => {
        expect((await readJournal(journal)).length).toBe(1)
        return Date.now() > watchUntil
      },
      5000,
    )
    expect(a.calls + b.calls).toBe(1)
    await resumeAll(q)
    await until('all three threads to complete', async () => {
      const jobs = await q.publish.x.getJobs(['completed'])
      return jobs.length === 3
    })
    const lines = await readJournal(journal)
    expect(lines).toHaveLength(9)
    expect(new Set(lines.map((l) => l.key)).size).toBe(9)
    const nur = lines.filter((l) => l.threadId === 'asp21-nur-rohingya-victim')
    expect(nur.map((l) => l.part)).toEqual([0, 1, 2])
  })
})
