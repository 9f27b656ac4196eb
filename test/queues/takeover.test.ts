import { type ChildProcess, spawn } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { pauseAll, resumeAll } from '../../queues/control.ts'
import { journalPublisher, partsOf, readJournal, until, useHarness } from './helpers.ts'

// Several workers sharing one Redis: a killed worker's thread is finished by another, each part once;
// pause stops every worker, resume lets them all go on.
describe('workers sharing one Redis', () => {
  const h = useHarness()
  let child: ChildProcess | undefined
  afterEach(() => {
    child?.kill('SIGKILL')
  })
  // Short locks, so a dead worker's job is taken over in about a second.
  const worker = (publisher: ReturnType<typeof journalPublisher>) =>
    h.worker(publisher, { timings: { lockDuration: 1000, stalledInterval: 500 } })
  const schedule = h.schedule
  const jobId = 'asp21.asp21-cicc-resources-mandate.x'

  it('finishes a thread whose worker was SIGKILLed after the platform took part 2, posting each part once', async () => {
    // The child posts part 1, then part 2 reaches the platform and the process dies before the checkpoint.
    child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/queues/child-worker.ts', h.q.prefix, h.journal, '2', 'post-then-hang'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    await schedule([{ quoteId: 'cicc-resources-mandate', at: Date.now() }])
    await until('part 2 to be in flight in the child', async () => {
      const job = await h.q.publish.x.getJob(jobId)
      return job?.data.inFlight === 1 && (await readJournal(h.journal)).length === 2
    })
    child.kill('SIGKILL')
    await new Promise((ok) => child?.once('exit', ok))

    const publisher = journalPublisher(h.journal)
    worker(publisher)
    const job = await until('another worker to finish the thread', async () => {
      const j = await h.q.publish.x.getJob(jobId)
      return (await j?.getState()) === 'completed' ? j : undefined
    })
    expect(job.returnvalue.outcome).toBe('posted')
    const lines = await readJournal(h.journal)
    expect(lines.map((l) => l.part)).toEqual([0, 1, 2])
    expect(lines[2]?.parent).toBe(lines[1]?.key)
    // Only part 3 was posted by the second worker: part 2 was found by its key, not posted again.
    expect(publisher.calls).toBe(1)
  })

  it('pause stops posting on two workers at once, also between the parts of a running thread', async () => {
    let paused = 0
    const starts: number[] = []
    // The first part posted, by whichever worker, triggers the pause while its thread is being posted.
    const onCall = async () => {
      starts.push(Date.now())
      if (starts.length === 1) {
        await pauseAll(h.q)
        paused = Date.now()
      }
    }
    const a = journalPublisher(h.journal, { onCall })
    const b = journalPublisher(h.journal, { onCall })
    worker(a)
    worker(b)
    const t0 = Date.now()
    await schedule([
      { quoteId: 'cicc-resources-mandate', at: t0 },
      { quoteId: 'cicc-budget-fundamental-change', at: t0 + 100 },
      { quoteId: 'ajar-philippines-resume', at: t0 + 200 },
    ])
    await until('the pause', async () => paused > 0)
    // Watch for two seconds: three threads are due and two workers are running, yet nothing new starts.
    const watchUntil = paused + 2000
    await until('two seconds of pause', async () => Date.now() > watchUntil, 5000)
    // Only a part the other worker had already begun when the pause landed may still go out: none later.
    expect(starts.filter((t) => t > paused).length).toBeLessThanOrEqual(1)
    expect(starts.every((t) => t <= paused + 1000)).toBe(true)
    const duringPause = (await readJournal(h.journal)).length
    expect(duringPause).toBe(starts.length)
    expect(duringPause).toBeLessThanOrEqual(2)
    // The thread the pause stopped after its first part: its second part, marked in flight with the checks
    // that found the pause, was never sent, so the mark was taken back (no lookup needed when it resumes).
    const stopped = await h.q.publish.x.getJobs(['delayed', 'wait', 'prioritized', 'active'])
    expect(stopped.filter((j) => j.data.posted.some((p) => p !== null)).length).toBeGreaterThan(0)
    expect(stopped.map((j) => j.data.inFlight)).toEqual(stopped.map(() => undefined))
    await resumeAll(h.q)
    await until('all three threads to complete', async () => {
      const jobs = await h.q.publish.x.getJobs(['completed'])
      return jobs.length === 3
    })
    const lines = await readJournal(h.journal)
    // Every part of the three threads (as the composer makes them, at least 3 each), each once.
    const ids = ['cicc-resources-mandate', 'cicc-budget-fundamental-change', 'ajar-philippines-resume']
    const parts = await partsOf(h.dir, ids, 'x')
    expect(parts).toBeGreaterThanOrEqual(9)
    expect(lines).toHaveLength(parts)
    expect(new Set(lines.map((l) => l.key)).size).toBe(parts)
    const nur = lines.filter((l) => l.threadId === 'asp21-cicc-resources-mandate')
    expect(nur.map((l) => l.part)).toEqual([0, 1, 2])
  })
})
