import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { UnrecoverableError, Worker } from 'bullmq'
import { parse } from 'csv-parse/sync'
import ICAL from 'ical.js'
import { Redis } from 'ioredis'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PUBLISH_QUEUES, publishJobId } from '../../queues/names.ts'
import { failureReason, type PublishJobData, type PublishResult } from '../../queues/payload.ts'
import { obliterateAll, openQueues } from '../../queues/queues.ts'
import { markUnconfirmed } from '../../queues/records.ts'
import { readPlanFile, writePlanFile } from '../../src/calendar/plan-file.ts'
import { planCampaign } from '../../src/calendar/planner.ts'
import type { Plan } from '../../src/calendar/types.ts'
import { CARD_FORMATS, cardAlt } from '../../src/cards/index.ts'
import { type PreviewServer, startPreview } from '../../src/preview/server.ts'
import { isoInstant } from '../../src/preview/time.ts'
import { type LoadedBank, loadBank } from '../../src/quotes/load.ts'
import type { Platform } from '../../src/quotes/schema.ts'
import { composeThread } from '../../src/threads/compose.ts'
import { dropNamespace } from '../redis-namespace.ts'
import {
  copyBank,
  launch,
  ROOT,
  saveScreenshot,
  stillPreview,
  tempDir,
  type Watched,
  watchedPage,
} from './helpers.ts'

const SHOTS = join(ROOT, 'screenshots')

let tmp: Awaited<ReturnType<typeof tempDir>>
let bankDir: string
let server: PreviewServer
let browser: BrowserContext
let bank: LoadedBank
let plan: Plan
/** The ASP21 sample week, for the calendar, gallery and thread tests and the README screenshots. */
interface Site {
  dir: string
  server: PreviewServer
  bank: LoadedBank
  plan: Plan
}
let sample: Site
const prefix = `test-preview-${process.pid}-${Date.now()}`

beforeAll(async () => {
  tmp = await tempDir('browser-preview', true)
  bankDir = await copyBank('preview', tmp.dir)
  await mkdir(SHOTS, { recursive: true })
  bank = await loadBank(bankDir)
  plan = (await readPlanFile(bankDir, bank.campaign.timezone)) ?? planCampaign(bank.campaign, bank.quotes)
  server = await startPreview({
    dir: bankDir,
    port: 0,
    cacheDir: join(tmp.dir, 'cache'),
    queuePrefix: prefix,
    graceMinutes: 30,
    statusPollMs: 200,
    // The sample week is in 2022: show it as it looked the week before, so nothing reads as missed.
    now: () => new Date('2022-12-01T09:00:00Z'),
  })
  const sampleDir = await copyBank('asp21', tmp.dir)
  const sampleBank = await loadBank(sampleDir)
  sample = {
    dir: sampleDir,
    bank: sampleBank,
    plan:
      (await readPlanFile(sampleDir, sampleBank.campaign.timezone)) ??
      planCampaign(sampleBank.campaign, sampleBank.quotes),
    server: await stillPreview(sampleDir, join(tmp.dir, 'cache'), `${prefix}-sample`),
  }
  browser = await launch(join(tmp.dir, 'profile'))
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await sample?.server.close()
  await dropNamespace(prefix, `${prefix}-sample`)
  await tmp?.remove()
})

async function open(path: string, on: PreviewServer = server): Promise<Watched> {
  const w = await watchedPage(browser)
  await w.page.goto(new URL(path, on.url).href, { waitUntil: 'load' })
  return w
}

/** Waits until every image inside `selector` has loaded with real pixels. */
async function imagesLoaded(w: Watched, selector: string): Promise<void> {
  await w.page.locator(selector).first().scrollIntoViewIfNeeded()
  await w.page.waitForFunction(
    (sel) =>
      Array.from(document.querySelectorAll<HTMLImageElement>(`${sel} img`)).every(
        (i) => i.complete && i.naturalWidth > 0,
      ),
    selector,
    { timeout: 30_000 },
  )
  // Fully decoded before any screenshot, so the committed pictures do not change from run to run.
  await w.page
    .locator(`${selector} img`)
    .evaluateAll((imgs) => Promise.all((imgs as HTMLImageElement[]).map((i) => i.decode())))
}

describe('preview page in Chromium', () => {
  it('shows every planned slot of the sample week in the calendar, with no console errors', async () => {
    const w = await open('/', sample.server)
    expect(sample.plan.slots.length).toBeGreaterThan(0)
    await expect(w.page.locator('article.slot').count()).resolves.toBe(sample.plan.slots.length)
    for (const slot of sample.plan.slots) {
      await expect(
        w.page.locator(`article.slot time[datetime="${isoInstant(slot.at)}"]`).count(),
      ).resolves.toBeGreaterThan(0)
    }
    // Times are shown in the campaign's zone: the first slot's local time is on the page.
    const first = [...sample.plan.slots].sort((a, b) => a.at.localeCompare(b.at))[0]
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: sample.bank.campaign.timezone,
      hour: '2-digit',
      minute: '2-digit',
    }).format(new Date(first?.at ?? 0))
    await expect(
      w.page
        .locator(`time[datetime="${isoInstant(first?.at ?? '')}"]`)
        .first()
        .textContent(),
    ).resolves.toBe(local)
    await expect(w.page.locator('.week thead th').count()).resolves.toBe(sample.bank.campaign.days.length)
    await imagesLoaded(w, '.week')
    await saveScreenshot(await w.page.locator('#calendar').screenshot(), join(SHOTS, 'calendar.png'))
    expect(w.errors).toEqual([])
    await w.page.close()
  })

  it('shows every card in every format with its alt text', async () => {
    const w = await open('/cards', sample.server)
    const formats = Object.keys(CARD_FORMATS).length
    await expect(w.page.locator('section.quote').count()).resolves.toBe(sample.bank.quotes.length)
    await expect(w.page.locator('section.quote img.card').count()).resolves.toBe(
      sample.bank.quotes.length * formats,
    )
    const q = sample.bank.quotes[0]
    if (!q) throw new Error('the fixture bank has no quotes')
    const alt = cardAlt(q, sample.bank.campaign)
    await expect(w.page.locator(`#q-${q.id} .alt-text`).textContent()).resolves.toBe(alt)
    const alts = await w.page
      .locator(`#q-${q.id} img.card`)
      .evaluateAll((imgs) => imgs.map((i) => i.getAttribute('alt')))
    expect(alts).toEqual(Array(formats).fill(alt))
    await imagesLoaded(w, `#q-${q.id}`)
    const sizes = await w.page
      .locator(`#q-${q.id} img.card`)
      .evaluateAll((imgs) => (imgs as HTMLImageElement[]).map((i) => [i.naturalWidth, i.naturalHeight]))
    expect(sizes).toEqual(Object.values(CARD_FORMATS).map((f) => [f.width, f.height]))
    await saveScreenshot(await w.page.locator(`#q-${q.id}`).screenshot(), join(SHOTS, 'gallery.png'))
    expect(w.errors).toEqual([])
    await w.page.close()
  })

  it('previews a thread side by side with the right number of posts and a count on each', async () => {
    const w = await open('/threads', sample.server)
    const slot = [...sample.plan.slots].sort((a, b) => a.at.localeCompare(b.at))[0]
    const quote = slot && sample.bank.quotes.find((q) => q.id === slot.quoteId)
    if (!slot || !quote) throw new Error('no first slot to preview')
    for (const platform of slot.platforms) {
      const expected = composeThread({
        quote,
        campaign: sample.bank.campaign,
        platform,
        day: slot.day,
        threadId: slot.threadId,
        card: {
          data: new Uint8Array(),
          mime: 'image/png',
          width: 1600,
          height: 900,
          alt: cardAlt(quote, sample.bank.campaign),
        },
      })
      const col = w.page.locator(`[id="${slot.threadId}"] [data-platform="${platform}"]`)
      await expect(col.locator('li.post').count()).resolves.toBe(expected.parts.length)
      await expect(col.locator('.post-count').count()).resolves.toBe(expected.parts.length)
      const firstText = await col.locator('li.post .post-text').first().textContent()
      expect(firstText).toBe(expected.parts[0]?.text)
    }
    await imagesLoaded(w, `[id="${slot.threadId}"]`)
    await saveScreenshot(
      await w.page.locator(`[id="${slot.threadId}"]`).screenshot(),
      join(SHOTS, 'thread.png'),
    )
    expect(w.errors).toEqual([])
    await w.page.close()
  })

  it('shows a quote full of HTML as text and runs none of it', async () => {
    for (const path of ['/', '/cards', '/threads']) {
      const w = await open(path)
      await expect(
        w.page.evaluate(() => (window as unknown as { __xss?: number }).__xss),
      ).resolves.toBeUndefined()
      // Our own script is the only one; no element came from the quote's markup.
      await expect(w.page.locator('script').count()).resolves.toBe(1)
      await expect(w.page.locator('main img[src="x"], main svg, main b, main i').count()).resolves.toBe(0)
      if (path === '/cards') {
        await expect(w.page.locator('#q-escaping-script-test h2').textContent()).resolves.toBe(
          "<b>Mallory</b>, <script>alert('org')</script> Coalition",
        )
      }
      if (path === '/threads') {
        const text = await w.page.locator('main').textContent()
        expect(text).toContain('<script>window.__xss = 1; alert("xss")</script> Justice delayed')
      }
      expect(w.dialogs).toEqual([])
      expect(w.errors).toEqual([])
      await w.page.close()
    }
  })

  it('updates the open page within a second of saving the quote bank, and shows errors with file and line', async () => {
    const w = await open('/cards')
    const file = join(bankDir, 'quotes.yaml')
    const before = await readFile(file, 'utf8')
    const heading = w.page.locator('#q-burundi-resources h2')
    await expect(heading.textContent()).resolves.toContain('Burundi')

    const marker = `Burundi Coalition Edited ${Date.now()}`
    const edited = before.replace(
      /(- id: burundi-resources[\s\S]*?organisation:[\s{]*name: )[^,}\n]+/,
      `$1${marker}`,
    )
    expect(edited).not.toBe(before)
    const saved = Date.now()
    await writeFile(file, edited)
    await w.page.waitForFunction(
      (m) => document.querySelector('#q-burundi-resources h2')?.textContent?.includes(m),
      marker,
      {
        polling: 'raf',
        timeout: 5_000,
      },
    )
    const took = Date.now() - saved
    expect(took).toBeLessThan(1_000)

    await appendFile(file, '\n- id: Not A Slug\n  text: a quote with no organisation\n')
    const line = (await readFile(file, 'utf8')).split('\n').indexOf('- id: Not A Slug') + 1
    const problem = w.page.locator('.problems td code', { hasText: `quotes.yaml:${line}:` })
    await problem.first().waitFor({ timeout: 5_000 })
    await expect(w.page.locator('.problems').textContent()).resolves.toContain('lowercase slug')
    expect(w.errors).toEqual([])
    await w.page.close()
  })

  it('can be used from the keyboard: a visible skip link first, then the sections', async () => {
    const w = await open('/threads')
    await w.page.keyboard.press('Tab')
    const skip = await w.page.evaluate(() => {
      const a = document.activeElement
      return a ? { text: a.textContent, top: a.getBoundingClientRect().top } : undefined
    })
    expect(skip?.text).toBe('Skip to content')
    expect(skip?.top).toBeGreaterThanOrEqual(0)
    await w.page.keyboard.press('Enter')
    await expect(w.page.evaluate(() => document.activeElement?.id)).resolves.toBe('main')
    // Every image on every page has alt text.
    for (const path of ['/', '/cards', '/threads']) {
      await w.page.goto(new URL(path, server.url).href)
      await expect(w.page.locator('img:not([alt]), img[alt=""]').count()).resolves.toBe(0)
    }
    expect(w.errors).toEqual([])
    await w.page.close()
  })

  it('shows live post states from the queue as they change, and the queue dashboard under /queues', async () => {
    expect(server.queuesMounted).toBe(true)
    const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null })
    const q = openQueues(redis, prefix)
    let worker: Worker<PublishJobData, never> | undefined
    let xWorker: Worker<PublishJobData, PublishResult> | undefined
    try {
      const slot = [...plan.slots].sort((a, b) => b.at.localeCompare(a.at))[0]
      if (!slot) throw new Error('no slot')
      const w = await open('/')
      const badge = (p: Platform, text: string) =>
        w.page
          .locator(`article.slot[data-thread="${slot.threadId}"] [data-platform="${p}"] .badge`, {
            hasText: text,
          })
          .waitFor({ timeout: 5_000 })
      await badge('x', 'planned')

      const data = (platform: Platform): PublishJobData => ({
        v: 1,
        campaign: bank.campaign.id,
        tz: bank.campaign.timezone,
        threadId: slot.threadId,
        quoteId: slot.quoteId,
        platform,
        at: slot.at,
        day: slot.day,
        dueAt: Date.now() + 3_600_000,
        posted: [],
      })
      // Scheduled while the page is open: it turns "queued" without a reload.
      await q.publish.x.add('publish', data('x'), {
        jobId: publishJobId(bank.campaign.id, slot.threadId, 'x'),
        delay: 3_600_000,
      })
      await badge('x', 'queued')

      // A post whose outcome is unknown, failed the way the publish processor fails it.
      const blueskyId = publishJobId(bank.campaign.id, slot.threadId, 'bluesky')
      worker = new Worker<PublishJobData, never>(
        PUBLISH_QUEUES.bluesky,
        async () => {
          await markUnconfirmed(q, {
            jobId: blueskyId,
            threadId: slot.threadId,
            platform: 'bluesky',
            part: 1,
            reason: 'timed out after the request was sent',
            at: Date.now(),
          })
          throw new UnrecoverableError(failureReason('unconfirmed', 'timed out after the request was sent'))
        },
        { connection: redis, prefix },
      )
      const failed = new Promise((ok) => worker?.once('failed', ok))
      await q.publish.bluesky.add('publish', { ...data('bluesky'), dueAt: Date.now() }, { jobId: blueskyId })
      await failed
      await badge('bluesky', 'unconfirmed')

      // Posted: the badge turns "posted" and links to the post the platform reported.
      const xUrl = 'https://x.com/ngovoices_demo/status/1600000000000000001'
      xWorker = new Worker<PublishJobData, PublishResult>(
        PUBLISH_QUEUES.x,
        async () => ({ outcome: 'posted', refs: [{ id: '1600000000000000001', url: xUrl }] }),
        { connection: redis, prefix },
      )
      await (await q.publish.x.getJob(publishJobId(bank.campaign.id, slot.threadId, 'x')))?.promote()
      await badge('x', 'posted')
      const link = w.page.locator(`article.slot[data-thread="${slot.threadId}"] [data-platform="x"] a`)
      expect(await link.getAttribute('href')).toBe(xUrl)
      expect(w.errors).toEqual([])

      await w.page.goto(new URL('/queues', server.url).href, { waitUntil: 'load' })
      await w.page.getByText('publish-x').first().waitFor({ timeout: 15_000 })
      await w.page.close()
    } finally {
      await worker?.close()
      await xWorker?.close()
      await obliterateAll(q)
      await q.close()
      redis.disconnect()
    }
  })

  it('downloads the plan as ICS (one event a slot, in the campaign zone) and CSV', async () => {
    const w = await open('/')
    const live = plan.slots.filter((s) => s.status !== 'cancelled')
    const [ics] = await Promise.all([
      w.page.waitForEvent('download'),
      w.page.getByText('Calendar file (ICS)').click(),
    ])
    expect(ics.suggestedFilename()).toBe(`${bank.campaign.id}-plan.ics`)
    const icsText = await readFile(await ics.path(), 'utf8')
    const vcal = new ICAL.Component(ICAL.parse(icsText))
    const events = vcal.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e))
    expect(events.length).toBe(live.length)
    const starts = events.map((e) => e.startDate.toJSDate().toISOString()).sort()
    expect(starts).toEqual(live.map((s) => new Date(s.at).toISOString()).sort())
    expect(events[0]?.startDate.zone?.tzid).toBe(bank.campaign.timezone)

    const [csv] = await Promise.all([
      w.page.waitForEvent('download'),
      w.page.getByText('Spreadsheet (CSV)').click(),
    ])
    const rows = parse(await readFile(await csv.path(), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[]
    expect(
      rows
        .filter((r) => r.status !== 'unplaced')
        .map((r) => r.thread)
        .sort(),
    ).toEqual(plan.slots.map((s) => s.threadId).sort())
    expect(w.errors).toEqual([])
    await w.page.close()
  })

  it('moves a slot on the open calendar when plan.yaml is saved', async () => {
    const w = await open('/')
    const first = [...plan.slots].sort((a, b) => a.at.localeCompare(b.at))[0]
    if (!first) throw new Error('no slot')
    const moved = isoInstant(new Date(Date.parse(first.at) + 30 * 60_000).toISOString())
    const edited: Plan = {
      ...plan,
      slots: plan.slots.map((s) => (s.threadId === first.threadId ? { ...s, at: moved, locked: true } : s)),
    }
    await writePlanFile(bankDir, edited)
    const slot = w.page.locator(`article.slot[data-thread="${first.threadId}"]`)
    await slot.locator(`time[datetime="${moved}"]`).waitFor({ timeout: 5_000 })
    await expect(slot.locator('.lock').count()).resolves.toBe(1)
    await expect(w.page.locator('.lede').textContent()).resolves.toContain('plan.yaml')
    expect(w.errors).toEqual([])
    await w.page.close()
  })
})
