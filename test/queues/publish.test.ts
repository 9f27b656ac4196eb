import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { retryThread } from '../../queues/control.ts'
import { listUnconfirmed } from '../../queues/records.ts'
import { gatherStatus } from '../../queues/status.ts'
import { editQuotes, type Fault, journalPublisher, readJournal, until, useHarness } from './helpers.ts'

// The posting worker against a real Redis: checkpoints, the error taxonomy, the late policy, consent.
describe('publish worker', () => {
  const h = useHarness()
  const minute = 60_000

  function run(
    opts: {
      faults?: Map<number, Fault>
      resetMs?: number
      graceMs?: number
      timings?: { heldRetryMs?: number; settleMs?: number }
    } = {},
  ) {
    const publisher = journalPublisher(h.journal, opts)
    h.worker(publisher, {
      ...(opts.graceMs ? { graceMs: opts.graceMs } : {}),
      ...(opts.timings ? { timings: opts.timings } : {}),
    })
    return publisher
  }
  const schedule = h.schedule
  const finished = (jobId: string) => h.settled(jobId)
  const nur = 'asp21.asp21-cicc-resources-mandate.x'
  const ajar = 'asp21.asp21-cicc-budget-fundamental-change.x'

  it('posts a thread part by part, each reply to the one before, and checkpoints every part', async () => {
    run()
    await schedule([{ quoteId: 'cicc-resources-mandate', at: Date.now() }])
    const job = await finished(nur)
    expect(await job.getState()).toBe('completed')
    expect(job.returnvalue.outcome).toBe('posted')
    const lines = await readJournal(h.journal)
    expect(lines.map((l) => l.part)).toEqual([0, 1, 2])
    expect(lines[1]?.parent).toBe(lines[0]?.key)
    expect(lines[2]?.parent).toBe(lines[1]?.key)
    expect(job.data.keys).toEqual(lines.map((l) => l.key))
    expect(job.data.posted.map((p) => p?.id)).toEqual(lines.map((l) => l.key))
    expect(job.data.inFlight).toBeUndefined()
  })

  it('holds the whole queue until a 429 resets, then completes without spending an attempt', async () => {
    const calls: number[] = []
    const resetMs = 1500
    const publisher = run({ faults: new Map([[1, 'rate-limit']]), resetMs })
    const t0 = Date.now()
    await schedule([
      { quoteId: 'cicc-resources-mandate', at: t0 },
      { quoteId: 'cicc-budget-fundamental-change', at: t0 + 200 },
    ])
    // While held, status says why the due threads wait.
    const held = await until('status to show the hold', async () => {
      const s = await gatherStatus(h.q)
      return s.threads.find((t) => t.next.startsWith('held: x said "slow down"'))
    })
    expect(held.state).toBe('queued')
    const job = await finished(nur)
    const other = await finished(ajar)
    calls.push(publisher.calls)
    expect(job.returnvalue.outcome).toBe('posted')
    expect(other.returnvalue.outcome).toBe('posted')
    // One attempt made in all: the 429 was not counted.
    expect(job.attemptsMade).toBe(1)
    expect(other.attemptsMade).toBe(1)
    const lines = await readJournal(h.journal)
    expect(lines).toHaveLength(6)
    // Nothing reached the platform during the hold: the first part posted after it is ~resetMs after the 429.
    expect(job.processedOn).toBeGreaterThanOrEqual(t0 + resetMs - 100)
    expect(other.processedOn).toBeGreaterThanOrEqual(t0 + resetMs - 100)
    expect(calls).toEqual([7])
  })

  it('fails a permanent error at once with its reason, and goes on with the next thread', async () => {
    run({ faults: new Map([[2, 'permanent']]) })
    const t0 = Date.now()
    await schedule([
      { quoteId: 'cicc-resources-mandate', at: t0 },
      { quoteId: 'cicc-budget-fundamental-change', at: t0 + 300 },
    ])
    const bad = await finished(nur)
    const good = await finished(ajar)
    expect(await bad.getState()).toBe('failed')
    expect(bad.failedReason).toBe('permanent: part 2: duplicate content')
    expect(bad.attemptsMade).toBe(1)
    expect(await good.getState()).toBe('completed')
    const lines = await readJournal(h.journal)
    expect(lines.filter((l) => l.threadId === 'asp21-cicc-resources-mandate').map((l) => l.part)).toEqual([0])
    expect(
      lines.filter((l) => l.threadId === 'asp21-cicc-budget-fundamental-change').map((l) => l.part),
    ).toEqual([0, 1, 2])
  })

  it('marks an ambiguous part unconfirmed, does not retry it alone, and a retry looks before posting', async () => {
    run({ faults: new Map([[2, 'ambiguous']]) })
    await schedule([{ quoteId: 'cicc-resources-mandate', at: Date.now() }])
    const job = await finished(nur)
    expect(await job.getState()).toBe('failed')
    expect(job.failedReason).toMatch(/^unconfirmed: part 2 may or may not have been posted/)
    expect(job.attemptsMade).toBe(1)
    expect((await listUnconfirmed(h.q)).map((u) => [u.jobId, u.part])).toEqual([[nur, 2]])

    const r = await retryThread(h.q, 'cicc-resources-mandate')
    expect(r.changed).toBe(1)
    const again = await until('the retry to complete', async () => {
      const j = await h.q.publish.x.getJob(nur)
      return (await j?.getState()) === 'completed' ? j : undefined
    })
    expect(again.returnvalue.outcome).toBe('posted')
    expect(await listUnconfirmed(h.q)).toEqual([])
    // Part 2 had reached the platform: the retry found it and posted only part 3. Each part exactly once.
    const lines = await readJournal(h.journal)
    expect(lines.map((l) => l.part)).toEqual([0, 1, 2])
    expect(new Set(lines.map((l) => l.key)).size).toBe(3)
  })

  it('posts a slot that passed within the grace period late, and marks one beyond it missed', async () => {
    run({ graceMs: 30 * minute })
    await schedule([
      { quoteId: 'cicc-resources-mandate', at: Date.now() - 10 * minute },
      { quoteId: 'cicc-budget-fundamental-change', at: Date.now() - 2 * 60 * minute },
    ])
    const late = await finished(nur)
    const missed = await finished(ajar)
    expect(late.returnvalue.outcome).toBe('posted')
    expect(late.returnvalue.lateMs).toBeGreaterThanOrEqual(10 * minute)
    expect(late.returnvalue.note).toBe('late by 10 min')
    expect(await missed.getState()).toBe('failed')
    expect(missed.failedReason).toMatch(
      /^missed: the slot \(.+ Europe\/Amsterdam\) passed 2 h before a worker picked it up; the grace period is 30 min/,
    )
    const lines = await readJournal(h.journal)
    expect(new Set(lines.map((l) => l.threadId))).toEqual(new Set(['asp21-cicc-resources-mandate']))
  })

  it('cancels a queued thread whose quote was embargoed past its slot after it was queued', async () => {
    // A slot of the session week (so the embargo below is a valid one); posted late, as a retry would.
    await schedule([{ quoteId: 'cicc-resources-mandate', at: Date.parse('2022-12-05T09:00:00Z') }])
    await editQuotes(h.dir, (quotes) =>
      quotes.map((x) =>
        x.id === 'cicc-resources-mandate' ? { ...x, embargo_until: '2022-12-06T12:00' } : x,
      ),
    )
    run()
    const job = await finished(nur)
    expect(job.returnvalue).toEqual({
      outcome: 'cancelled',
      note: 'embargoed until 2022-12-06 12:00 (Europe/Amsterdam)',
      refs: [],
    })
    expect(await readJournal(h.journal)).toEqual([])
  })

  it('holds a thread whose quotes file is broken at its slot, keeps its job on a sync, and posts it once fixed', async () => {
    const file = join(h.dir, 'quotes.yaml')
    const good = await readFile(file, 'utf8')
    const at = Date.now()
    await schedule([{ quoteId: 'cicc-resources-mandate', at }])
    // A typo saved while the week runs: the file no longer parses, so no quote of it can be read.
    await writeFile(file, `${good}\n- id: [unclosed\n`)
    run({ timings: { heldRetryMs: 100 } })
    const held = await until('the thread to be held', async () => {
      const j = await h.q.publish.x.getJob(nur)
      return j?.data.held ? j : undefined
    })
    expect(held.data.held).toMatch(/quotes\.yaml:\d+:\d+ {2}YAML syntax error/)
    expect(await readJournal(h.journal)).toEqual([])
    const status = (await gatherStatus(h.q)).threads.find((t) => t.jobId === nur)
    expect(status?.next).toMatch(/^held: its quote cannot be read \(.*quotes\.yaml:\d+:\d+/)
    // The reconcile sweep meanwhile keeps the job and says why, rather than removing a "removed" quote.
    const sweep = await schedule([{ quoteId: 'cicc-resources-mandate', at }])
    expect(sweep.removed).toEqual([])
    expect(sweep.held.map((x) => x.threadId)).toEqual(['asp21-cicc-resources-mandate'])
    await writeFile(file, good)
    const job = await finished(nur)
    expect(job.returnvalue.outcome).toBe('posted')
    expect(job.data.held).toBeUndefined()
    const lines = await readJournal(h.journal)
    expect(lines.map((l) => l.part)).toEqual(lines.map((_, i) => i))
    expect(lines.length).toBeGreaterThanOrEqual(3)
  })

  it('reads a bank saved just now again before cancelling a thread whose quote is missing from it', async () => {
    const file = join(h.dir, 'quotes.yaml')
    const whole = await readFile(file, 'utf8')
    await schedule([{ quoteId: 'cicc-resources-mandate', at: Date.now() }])
    // An editor saving in place: for a moment the file holds only what was written so far, without this quote.
    await editQuotes(h.dir, (quotes) => quotes.filter((x) => x.id !== 'cicc-resources-mandate'))
    // A settle window longer than the test, so the job stays held until the save completes.
    run({ timings: { heldRetryMs: 100, settleMs: 10 * minute } })
    const held = await until('the thread to be held', async () => {
      const j = await h.q.publish.x.getJob(nur)
      return j?.data.held ? j : undefined
    })
    expect(held.data.held).toBe('the quotes changed just now: read again before cancelling')
    await writeFile(file, whole)
    const job = await finished(nur)
    expect(job.returnvalue.outcome).toBe('posted')
    expect((await readJournal(h.journal)).length).toBeGreaterThanOrEqual(3)
  })

  it('cancels a thread whose quote left a bank that has settled', async () => {
    await schedule([{ quoteId: 'cicc-resources-mandate', at: Date.now() }])
    await editQuotes(h.dir, (quotes) => quotes.filter((x) => x.id !== 'cicc-resources-mandate'))
    run({ timings: { settleMs: 0 } })
    const job = await finished(nur)
    expect(job.returnvalue).toEqual({
      outcome: 'cancelled',
      note: 'the quote is no longer in the bank (removed, or now invalid)',
      refs: [],
    })
    expect(job.data.held).toBeUndefined()
  })

  it('gives up on a held thread as missed, with the reason, once its slot is past the grace period', async () => {
    const file = join(h.dir, 'quotes.yaml')
    await schedule([{ quoteId: 'cicc-resources-mandate', at: Date.now() - 2 * minute }])
    await writeFile(file, `${await readFile(file, 'utf8')}\n- id: [unclosed\n`)
    run({ graceMs: minute, timings: { heldRetryMs: 100 } })
    const job = await finished(nur)
    expect(await job.getState()).toBe('failed')
    expect(job.failedReason).toMatch(
      /^missed: its quote could not be read until 2 min after the slot, past the grace period of 1 min: .*YAML syntax error/,
    )
    expect(await readJournal(h.journal)).toEqual([])
  })

  it('cancels a queued thread whose consent was withdrawn before it runs', async () => {
    await schedule([{ quoteId: 'cicc-resources-mandate', at: Date.now() + 500 }])
    await editQuotes(h.dir, (quotes) =>
      quotes.map((x) => (x.id === 'cicc-resources-mandate' ? { ...x, consent: { status: 'withdrawn' } } : x)),
    )
    run()
    const job = await finished(nur)
    expect(job.returnvalue).toEqual({ outcome: 'cancelled', note: 'consent is withdrawn', refs: [] })
    expect(await readJournal(h.journal)).toEqual([])
    // Consent given again, for a slot still ahead: the next sync queues the thread afresh.
    await editQuotes(h.dir, (quotes) =>
      quotes.map((x) => (x.id === 'cicc-resources-mandate' ? { ...x, consent: { status: 'granted' } } : x)),
    )
    // Far enough ahead that a loaded machine still syncs before the slot passes.
    const again = await schedule([{ quoteId: 'cicc-resources-mandate', at: Date.now() + 2_000 }])
    expect(again.added).toEqual([nur])
    expect((await h.settled(nur, ['completed'])).returnvalue.outcome).toBe('posted')
  })
})
