import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { campaignFolders } from '../../queues/campaign-folders.ts'
import { liveClock } from '../../queues/clock.ts'
import { resumeAll } from '../../queues/control.ts'
import { planDeps } from '../../queues/deps.ts'
import { publishJobId } from '../../queues/names.ts'
import { publishQueueList } from '../../queues/queues.ts'
import { syncPlan } from '../../queues/sync.ts'
import { type RunningWorkers, startWorkers } from '../../queues/worker.ts'
import type { Publisher } from '../../src/platforms/publisher.ts'
import {
  journalPublisher,
  partsOf,
  planHolder,
  planOf,
  publishDepsWith,
  readJournal,
  silent,
  until,
} from '../queues/helpers.ts'
import { type BoardSite, boardSite, confirmAction, noticeOf, unexpected } from './board-site.ts'

// Must show 5: running the week from the page. Pause stops two running workers between the parts of a thread,
// resume lets them go on; retry of an unconfirmed thread posts only its missing parts. The same functions as the
// `pause`, `resume` and `retry` commands do it; these tests drive them through the page's buttons.

let site: BoardSite
const running: RunningWorkers[] = []

beforeAll(async () => {
  site = await boardSite('board-run', { queued: false })
})
afterEach(async () => {
  for (const w of running.splice(0)) await w.close(true)
  await resumeAll(site.q)
  // A test that failed half-way must not leave its threads to the next test's worker.
  for (const queue of publishQueueList(site.q)) await queue.obliterate({ force: true })
})
afterAll(async () => {
  await site?.close()
})

function worker(publisher: Publisher): void {
  running.push(
    startWorkers({
      q: site.q,
      folders: campaignFolders(site.q, [site.dir]),
      deps: publishDepsWith(publisher),
      planDeps,
      clock: liveClock,
      graceMs: 30 * 60_000,
      log: silent,
      cards: false,
    }),
  )
}

const schedule = (slots: Parameters<typeof planOf>[0]) =>
  syncPlan(site.q, planHolder(planOf(slots)), { dir: site.dir, clock: liveClock, cacheDir: 'unused' })

describe('running the week from the page', () => {
  it('pause stops two running workers between parts; resume lets them go on, every part once', async () => {
    const w = await site.open()
    const journal = join(site.dir, 'pause.jsonl')
    let paused = 0
    let pausedNow: () => void = () => {}
    const pause = new Promise<void>((ok) => {
      pausedNow = ok
    })
    const starts: number[] = []
    // The first part posted, by whichever worker, is when a person presses "Pause all posting" on the page; the
    // other worker's part in flight waits for the click, so both workers are in the middle of a thread.
    const onCall = async () => {
      starts.push(Date.now())
      if (starts.length === 1) {
        await confirmAction(w.page, 'button[data-action="pause"]')
        await expect(noticeOf(w.page, '*')).resolves.toMatch(/^Paused: no worker posts anything/)
        paused = Date.now()
        pausedNow()
      } else if (paused === 0) await pause
    }
    worker(journalPublisher(journal, { onCall }))
    worker(journalPublisher(journal, { onCall }))
    const t0 = Date.now()
    const ids = ['nur-rohingya-victim', 'ajar-myanmar-prioritise', 'ajar-philippines-resume']
    await schedule(ids.map((quoteId, i) => ({ quoteId, at: t0 + i * 100 })))
    await until('the pause', async () => paused > 0)
    const watchUntil = paused + 2000
    await until('two seconds of pause', async () => Date.now() > watchUntil, 5000)
    // The two parts in flight when the pause landed go out; no worker starts another.
    expect(starts.filter((t) => t > paused)).toEqual([])
    expect(starts).toHaveLength(2)
    expect((await readJournal(journal)).length).toBe(2)
    await expect.poll(() => w.page.locator('.run-state.paused').count()).toBe(1)

    await confirmAction(w.page, 'button[data-action="resume"]')
    await expect(noticeOf(w.page, '*', /^Resumed/)).resolves.toMatch(/^Resumed: posting goes on/)
    await until('all three threads to complete', async () => {
      return (await site.q.publish.x.getJobs(['completed'])).length === 3
    })
    const lines = await readJournal(journal)
    const parts = await partsOf(site.dir, ids, 'x')
    expect(lines).toHaveLength(parts)
    expect(new Set(lines.map((l) => l.key)).size).toBe(parts)
    expect(unexpected(w.errors)).toEqual([])
    await w.page.close()
  })

  it('retry of an unconfirmed thread from the page posts only its missing parts', async () => {
    const quoteId = 'alhaq-palestine-selectivity'
    const threadId = `asp21-${quoteId}`
    const jobId = publishJobId('asp21', threadId, 'x')
    const journal = join(site.dir, 'retry.jsonl')
    // Part 2 reaches the platform, then the connection drops: the thread is unconfirmed.
    const publisher = journalPublisher(journal, { faults: new Map([[2, 'ambiguous']]) })
    worker(publisher)
    await schedule([{ quoteId, at: Date.now() }])
    await until('the thread to be unconfirmed', async () => {
      return (await (await site.q.publish.x.getJob(jobId))?.getState()) === 'failed'
    })
    const ofThread = async () => (await readJournal(journal)).filter((l) => l.threadId === threadId)
    expect((await ofThread()).map((l) => l.part)).toEqual([0, 1])
    const callsBefore = publisher.calls
    const w = await site.open(390)
    await expect(w.page.locator(`#slot-${threadId} .badge.st-unconfirmed`).count()).resolves.toBe(1)
    await confirmAction(w.page, `#slot-${threadId} button[data-action="retry"]`)
    await expect(noticeOf(w.page, threadId)).resolves.toMatch(/^Queued again: it posts only the parts/)
    await until('the retried thread to complete', async () => {
      return (await (await site.q.publish.x.getJob(jobId))?.getState()) === 'completed'
    })
    const parts = await partsOf(site.dir, [quoteId], 'x')
    expect((await ofThread()).map((l) => l.part)).toEqual([...Array(parts).keys()])
    // Part 2 was found on the "platform" by its key, not posted again: only the parts after it were.
    expect(publisher.calls - callsBefore).toBe(parts - 2)
    expect(unexpected(w.errors)).toEqual([])
    await w.page.close()
  })
})
