import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import type { BrowserContext, Page } from 'playwright-core'
import { planDeps } from '../../queues/deps.ts'
import { obliterateAll, openQueues, type Queues } from '../../queues/queues.ts'
import { syncLive } from '../../queues/worker.ts'
import { readPlanFile, writePlanFile } from '../../src/calendar/plan-file.ts'
import { planCampaign } from '../../src/calendar/planner.ts'
import type { Plan, Slot } from '../../src/calendar/types.ts'
import { type PreviewServer, startPreview } from '../../src/preview/server.ts'
import { loadBank } from '../../src/quotes/load.ts'
import { REDIS_URL, testPrefix } from '../redis-namespace.ts'
import { copyBank, launch, tempDir, type Watched, watchedPage } from './helpers.ts'

// @NOTE The planning board's tests run on the ASP21 bank moved to a week still to come (25–31 March 2027, so
// jobs are delayed and the clocks go forward on the 28th in Europe/Amsterdam), with one quote under embargo.

export const DAYS = [
  '2027-03-25',
  '2027-03-26',
  '2027-03-27',
  '2027-03-28',
  '2027-03-29',
  '2027-03-30',
  '2027-03-31',
]
export const EMBARGOED = 'cicc-more-with-less'
export const EMBARGO = '2027-03-30'

export async function boardBank(into: string): Promise<string> {
  const dir = await copyBank('asp21', into)
  const campaignFile = join(dir, 'campaign.yaml')
  const old = [
    '2022-12-05',
    '2022-12-06',
    '2022-12-07',
    '2022-12-08',
    '2022-12-09',
    '2022-12-10',
    '2022-12-11',
  ]
  let campaign = await readFile(campaignFile, 'utf8')
  for (const [i, day] of old.entries()) campaign = campaign.replace(`date: ${day}`, `date: ${DAYS[i]}`)
  await writeFile(campaignFile, campaign)
  const quotesFile = join(dir, 'quotes.yaml')
  const quotes = await readFile(quotesFile, 'utf8')
  const at = quotes.indexOf(`- id: ${EMBARGOED}`)
  const priority = quotes.indexOf('  priority:', at)
  await writeFile(
    quotesFile,
    `${quotes.slice(0, priority)}  embargo_until: ${EMBARGO}\n${quotes.slice(priority)}`,
  )
  return dir
}

export interface BoardSite {
  dir: string
  server: PreviewServer
  q: Queues
  browser: BrowserContext
  plan(): Promise<Plan>
  slot(quoteId: string): Promise<Slot>
  open(width?: number, path?: string): Promise<Watched>
  close(): Promise<void>
}

/** A planned and queued week, its preview with the board, and a browser. */
export async function boardSite(area: string, opts: { queued?: boolean } = {}): Promise<BoardSite> {
  const tmp = await tempDir(area)
  const dir = await boardBank(tmp.dir)
  const bank = await loadBank(dir)
  await writePlanFile(dir, planCampaign(bank.campaign, bank.quotes), { quotes: bank.quotes })
  const prefix = testPrefix(area)
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null })
  const q = openQueues(redis, prefix)
  const cacheDir = join(tmp.dir, 'cache')
  if (opts.queued !== false) await syncLive(q, planDeps, dir, cacheDir)
  const server = await startPreview({
    dir,
    port: 0,
    cacheDir,
    redisUrl: REDIS_URL,
    queuePrefix: prefix,
    graceMinutes: 30,
    debounceMs: 40,
    statusPollMs: 60_000,
  })
  const browser = await launch(join(tmp.dir, 'profile'))
  const plan = async () => {
    const p = await readPlanFile(dir, bank.campaign.timezone)
    if (!p) throw new Error('no plan.yaml')
    return p
  }
  return {
    dir,
    server,
    q,
    browser,
    plan,
    async slot(quoteId) {
      const s = (await plan()).slots.find((x) => x.quoteId === quoteId)
      if (!s) throw new Error(`${quoteId} is not in the plan`)
      return s
    },
    async open(width = 1440, path = '/') {
      const w = await watchedPage(browser)
      await w.page.setViewportSize({ width, height: 900 })
      await w.page.goto(new URL(path, server.url).href, { waitUntil: 'load' })
      // The card thumbnails are rendered by the server on first request: a person acts once what they see is there.
      await w.page.waitForFunction(
        () =>
          Array.from(document.querySelectorAll('img'))
            .filter((i) => {
              const r = i.getBoundingClientRect()
              return r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth
            })
            .every((i) => i.complete && i.naturalWidth > 0),
        undefined,
        { timeout: 60_000 },
      )
      // The name is asked on the calendar and kept in the browser for the other pages.
      if (path === '/') {
        await w.page.locator('#board-who').fill('Amina')
        await w.page.locator('#board-who').dispatchEvent('change')
      }
      return w
    },
    async close() {
      await browser.close()
      await server.close()
      await obliterateAll(q)
      await q.close()
      redis.disconnect()
      await tmp.remove()
    },
  }
}

/**
 * The notice shown beside a thread (or the board's own with '*'), once it says something final, and, given
 * `now`, once it says that (a notice from an earlier action on the same thread may still be showing).
 */
export async function noticeOf(page: Page, key: string, now?: RegExp): Promise<string> {
  const selector = key === '*' ? '#board-notice' : `[data-notice-for="${key}"]`
  const text = await page.waitForFunction(
    ([sel, source]) => {
      const t = document.querySelector(sel ?? '')?.textContent ?? ''
      const final = t !== '' && t !== 'Working…'
      return final && (source === undefined || new RegExp(source).test(t)) ? t : false
    },
    [selector, now?.source] as const,
  )
  return String(await text.jsonValue())
}

/** Console errors a test did not expect: the browser logs every 409 and 422 answer, which are the board's refusals. */
export function unexpected(errors: string[]): string[] {
  return errors.filter((e) => !/status of (409|422) /.test(e))
}

/** Clicks an action button of the board and answers its confirmation (with a note when one is given). */
export async function confirmAction(page: Page, button: string, note?: string): Promise<void> {
  await page.locator(button).click()
  const dialog = page.locator('#board-confirm')
  await dialog.waitFor({ state: 'visible' })
  if (note !== undefined) await dialog.locator('#board-note').fill(note)
  await dialog.locator('button.yes').click()
}
