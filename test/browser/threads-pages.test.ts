import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeBank } from '../../bench/bank.ts'
import { planCampaign } from '../../src/calendar/planner.ts'
import type { Slot } from '../../src/calendar/types.ts'
import type { PreviewServer } from '../../src/preview/server.ts'
import { dayLabel, localTime } from '../../src/preview/time.ts'
import { THREADS_PER_PAGE } from '../../src/preview/views/threads.ts'
import { loadBank } from '../../src/quotes/load.ts'
import { dropNamespace, testPrefix } from '../redis-namespace.ts'
import { launch, ROOT, stillPreview, tempDir, watchedPage } from './helpers.ts'

// Issue 16: /threads composes one page of threads, not all of them. A bank of 130 quotes in a campaign with room
// for them all gives three pages; each shows its own threads, in slot order, with times in the campaign's zone,
// and links to the pages either side, on a desktop and on a 390 px phone.

const prefix = testPrefix('threads-pages')
let tmp: Awaited<ReturnType<typeof tempDir>>
let browser: BrowserContext
let server: PreviewServer
let slots: Slot[]
let zone: string

beforeAll(async () => {
  tmp = await tempDir('browser-threads-pages')
  const { dir } = await writeBank(join(ROOT, 'fixtures/asp21'), 130, join(tmp.dir, 'bank'))
  // Room for every quote in the week: short gaps, many threads a day.
  const campaign = join(dir, 'campaign.yaml')
  const text = await readFile(campaign, 'utf8')
  await writeFile(
    campaign,
    text
      .replace('min_gap_minutes: 90', 'min_gap_minutes: 5')
      .replace('max_threads_per_day: 3', 'max_threads_per_day: 20'),
  )
  const bank = await loadBank(dir)
  zone = bank.campaign.timezone
  slots = [...planCampaign(bank.campaign, bank.quotes).slots].sort((a, b) => a.at.localeCompare(b.at))
  server = await stillPreview(dir, join(tmp.dir, 'cache'), prefix)
  browser = await launch(join(tmp.dir, 'profile'))
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
  await dropNamespace(prefix)
  await tmp?.remove()
})

/** The threads a page shows, by id, and the first one's heading as read. */
async function shown(page: Page): Promise<{ ids: string[]; firstHeading: string }> {
  const ids = await page.locator('section.thread').evaluateAll((els) => els.map((e) => e.id))
  const firstHeading = (await page.locator('section.thread h2').first().textContent()) ?? ''
  return { ids, firstHeading }
}

const heading = (s: Slot) => `${dayLabel(s.day)} ${localTime(s.at, zone)}`

describe.each([
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
])('/threads in pages ($name)', ({ width, height }) => {
  it('shows the 51st thread first on page 2, and moves between pages by its links', async () => {
    const pages = Math.ceil(slots.length / THREADS_PER_PAGE)
    expect(pages).toBe(3)
    const { page, errors } = await watchedPage(browser)
    await page.setViewportSize({ width, height })
    await page.goto(new URL('/threads?page=2', server.url).href, { waitUntil: 'load' })

    const second = await shown(page)
    const expected = slots.slice(THREADS_PER_PAGE, 2 * THREADS_PER_PAGE)
    expect(second.ids).toEqual(expected.map((s) => s.threadId))
    const fiftyFirst = slots[THREADS_PER_PAGE]
    if (!fiftyFirst) throw new Error('no 51st slot')
    expect(second.firstHeading.startsWith(heading(fiftyFirst))).toBe(true)
    expect(second.firstHeading).toContain(fiftyFirst.quoteId)
    const pager = page.getByRole('navigation', { name: 'Pages of threads', exact: true })
    await expect(pager.textContent()).resolves.toContain(`Page 2 of 3 · threads 51–100 of ${slots.length}`)
    // Nothing wider than the screen, on the phone too.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)

    await pager.getByRole('link', { name: 'Next page →' }).click()
    await page.waitForURL(/page=3$/)
    const third = await shown(page)
    expect(third.ids).toEqual(slots.slice(2 * THREADS_PER_PAGE).map((s) => s.threadId))
    expect(await page.locator('a[rel="next"]').count()).toBe(0)

    await page
      .getByRole('navigation', { name: 'Pages of threads, at the end' })
      .getByRole('link', { name: '← Previous page' })
      .click()
    await page.waitForURL(/page=2$/)
    await page.getByRole('link', { name: '← Previous page' }).first().click()
    await page.waitForURL(/page=1$/)
    const first = await shown(page)
    expect(first.ids).toEqual(slots.slice(0, THREADS_PER_PAGE).map((s) => s.threadId))
    expect(first.ids).not.toContain(fiftyFirst.threadId)
    expect(await page.locator('a[rel="prev"]').count()).toBe(0)
    expect(errors).toEqual([])
    await page.close()
  })
})

it('reads a page number it cannot use as the nearest page there is', async () => {
  const first = slots[0]
  const last = slots[2 * THREADS_PER_PAGE]
  if (!first || !last) throw new Error('too few slots')
  for (const [asked, firstId] of [
    ['abc', first.threadId],
    ['0', first.threadId],
    ['999', last.threadId],
  ] as const) {
    const body = await (await fetch(new URL(`/threads?page=${asked}`, server.url))).text()
    expect(body.match(/<section class="thread" id="([^"]+)"/)?.[1]).toBe(firstId)
  }
})
