import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { campaignFolders } from '../../queues/campaign-folders.ts'
import { liveClock } from '../../queues/clock.ts'
import { planDeps } from '../../queues/deps.ts'
import { publishJobId } from '../../queues/names.ts'
import { publishQueueList } from '../../queues/queues.ts'
import { syncPlan } from '../../queues/sync.ts'
import { type RunningWorkers, startWorkers } from '../../queues/worker.ts'
import { CHANGE_LOG } from '../../src/calendar/change-log.ts'
import { journalPublisher, publishDepsWith, readJournal, silent, until } from '../queues/helpers.ts'
import { type BoardSite, boardSite, confirmAction, noticeOf, unexpected } from './board-site.ts'

// Must show 4, and approving: consent changed from the page is written to the bank (that one value), logged,
// and a withdrawn quote's queued posts are gone from Redis at once; a worker that runs after posts nothing of it.

let site: BoardSite
let workers: RunningWorkers | undefined
const WITHDRAWN = 'ajar-myanmar-prioritise'
const PENDING = 'cicc-cooperation-investigations'

beforeAll(async () => {
  site = await boardSite('board-consent')
})
afterEach(async () => {
  await workers?.close(true)
  workers = undefined
})
afterAll(async () => {
  await site?.close()
})

const bankText = () => readFile(join(site.dir, 'quotes.yaml'), 'utf8')

function changedLines(before: string, after: string): [string, string][] {
  const a = before.split('\n')
  const b = after.split('\n')
  expect(b.length).toBe(a.length)
  return a.flatMap((line, i): [string, string][] => (line === b[i] ? [] : [[line, b[i] ?? '']]))
}

describe('consent from the page', () => {
  // First: the test after it lets a worker post every job left.
  it('withdraws a quote from its card in the gallery too', async () => {
    const quoteId = 'alhaq-palestine-selectivity'
    const threadId = (await site.slot(quoteId)).threadId
    const job = () => site.q.publish.x.getJob(publishJobId('asp21', threadId, 'x'))
    expect(await job()).toBeDefined()
    const w = await site.open(390, '/cards')
    await confirmAction(w.page, `#q-${quoteId} button[data-action="withdraw"]`)
    await expect(noticeOf(w.page, `quote-${quoteId}`)).resolves.toMatch(/^Consent withdrawn/)
    await expect(job()).resolves.toBeUndefined()
    await expect.poll(() => w.page.locator(`#q-${quoteId} button[data-action="withdraw"]`).count()).toBe(0)
    expect(unexpected(w.errors)).toEqual([])
    await w.page.close()
  })

  it('withdraws a quote: its jobs leave Redis within 1 s, the bank changes in that one value, the log has it, a worker posts nothing of it', async () => {
    const threadId = (await site.slot(WITHDRAWN)).threadId
    const jobIds = (['x', 'bluesky'] as const).map((p) => [p, publishJobId('asp21', threadId, p)] as const)
    for (const [p, id] of jobIds) expect(await site.q.publish[p].getJob(id)).toBeDefined()
    const before = await bankText()
    const w = await site.open()
    await confirmAction(
      w.page,
      `#slot-${threadId} button[data-action="withdraw"]`,
      'AJAR called on Wednesday',
    )
    await expect
      .poll(
        async () =>
          (await Promise.all(jobIds.map(([p, id]) => site.q.publish[p].getJob(id)))).filter(Boolean),
        { timeout: 1000, interval: 25 },
      )
      .toEqual([])
    await expect(noticeOf(w.page, threadId)).resolves.toMatch(
      /^Consent withdrawn: none of its posts will go out\./,
    )

    const changed = changedLines(before, await bankText())
    expect(changed).toHaveLength(1)
    const [from, to] = changed[0] ?? ['', '']
    expect(to).toBe(from.replace('status: granted', 'status: withdrawn'))
    const log = await readFile(join(site.dir, CHANGE_LOG), 'utf8')
    expect(log).toMatch(
      new RegExp(
        `^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z\\tAmina\\twithdrew consent for quote ${WITHDRAWN} \\(AJAR called on Wednesday\\)\\tconsent granted\\tconsent withdrawn$`,
        'm',
      ),
    )
    await expect
      .poll(() => w.page.locator('#changes li').first().textContent())
      .toContain(`Amina withdrew consent for quote ${WITHDRAWN}`)

    // The sweep runs, then a worker takes every job left, now: none of the withdrawn quote's posts goes out.
    const again = await syncPlan(site.q, planDeps, { dir: site.dir, clock: liveClock, cacheDir: 'unused' })
    expect(again.added).toEqual([])
    const journal = join(site.dir, 'journal.jsonl')
    workers = startWorkers({
      q: site.q,
      folders: campaignFolders(site.q, [site.dir]),
      deps: publishDepsWith(journalPublisher(journal)),
      planDeps,
      clock: liveClock,
      graceMs: 30 * 60_000,
      log: silent,
      cards: false,
    })
    let left = 0
    for (const queue of publishQueueList(site.q)) {
      for (const job of await queue.getJobs(['delayed'])) {
        await job.promote()
        left++
      }
    }
    expect(left).toBeGreaterThan(0)
    await until(
      'every promoted job to finish',
      async () => {
        let done = 0
        for (const queue of publishQueueList(site.q))
          done += (await queue.getJobs(['completed', 'failed'])).length
        return done === left
      },
      60_000,
    )
    const posted = await readJournal(journal)
    expect(posted.length).toBeGreaterThan(0)
    expect(posted.filter((l) => l.threadId === threadId)).toEqual([])
    expect(unexpected(w.errors)).toEqual([])
    await w.page.close()
  })

  it('approves a pending quote (consent granted in the bank), and "Re-plan the rest" gives it a slot', async () => {
    const before = await bankText()
    const w = await site.open(390)
    await confirmAction(
      w.page,
      `tr[data-quote="${PENDING}"] button[data-action="approve"]`,
      'email of 28 March',
    )
    await expect(noticeOf(w.page, `quote-${PENDING}`)).resolves.toMatch(/^Consent granted\./)
    const changed = changedLines(before, await bankText())
    expect(changed).toHaveLength(1)
    expect(changed[0]?.[1]).toBe(changed[0]?.[0].replace('status: pending', 'status: granted'))
    await expect.poll(() => w.page.locator(`button[data-action="replan"]`).count()).toBe(1)
    await confirmAction(w.page, 'button[data-action="replan"]')
    await expect(noticeOf(w.page, '*')).resolves.toMatch(/^Re-planned the rest: \d+ moved, 1 added/)
    const slot = await site.slot(PENDING)
    await expect.poll(() => w.page.locator(`#slot-${slot.threadId}`).count()).toBe(1)
    expect(unexpected(w.errors)).toEqual([])
    await w.page.close()
  })

  it('refuses to change consent in a bank file that has errors, and says which line', async () => {
    const file = join(site.dir, 'quotes.yaml')
    const broken = `${await bankText()}\n- id: broken-entry\n  text: Half a quote, no organisation, no consent\n`
    await writeFile(file, broken)
    // The quote approved and placed just before: the others were all posted by the worker test.
    const threadId = (await site.slot(PENDING)).threadId
    const w = await site.open()
    await expect.poll(() => w.page.locator('.problems').textContent()).toContain('broken-entry')
    await confirmAction(w.page, `#slot-${threadId} button[data-action="withdraw"]`)
    await expect(noticeOf(w.page, threadId)).resolves.toMatch(
      /quotes\.yaml has errors \(line \d+: .+\)\. Fix the file first, so nothing else in it changes by surprise\.$/,
    )
    expect(await bankText()).toBe(broken)
    expect(unexpected(w.errors)).toEqual([])
    await w.page.close()
  })
})
