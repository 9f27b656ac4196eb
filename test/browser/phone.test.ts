import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PreviewServer } from '../../src/preview/server.ts'
import { dropNamespace, testPrefix } from '../redis-namespace.ts'
import { copyBank, launch, ROOT, saveScreenshot, stillPreview, tempDir, watchedPage } from './helpers.ts'

// Issue 13: every page of the preview on a 390 px phone (the sample bank, and a bank of strings with no place to
// break a line): no sideways scrolling, no serious or critical axe violation, one h1 first, unique section
// labels, and the language of every post, alt text and card marked. The phone views go to screenshots/.

const SHOTS = join(ROOT, 'screenshots')
const PAGES = ['/', '/cards', '/threads'] as const
const SHOT_NAME: Record<(typeof PAGES)[number], string> = {
  '/': 'phone-calendar.png',
  '/cards': 'phone-cards.png',
  '/threads': 'phone-threads.png',
}
const AXE = await readFile(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8')
const prefix = testPrefix('phone')

let tmp: Awaited<ReturnType<typeof tempDir>>
let browser: BrowserContext
const servers: Record<'asp21' | 'long-strings', PreviewServer | undefined> = {
  asp21: undefined,
  'long-strings': undefined,
}

beforeAll(async () => {
  // A fixed folder name: the pages show file paths, and the committed screenshots should only change with the page.
  tmp = await tempDir('browser-phone', true)
  for (const bank of ['asp21', 'long-strings'] as const) {
    servers[bank] = await stillPreview(
      await copyBank(bank, tmp.dir),
      join(tmp.dir, 'cache'),
      `${prefix}-${bank}`,
    )
  }
  browser = await launch(join(tmp.dir, 'profile'))
})
afterAll(async () => {
  await browser?.close()
  for (const s of Object.values(servers)) await s?.close()
  await dropNamespace(`${prefix}-asp21`, `${prefix}-long-strings`)
  await tmp?.remove()
})

async function phone(bank: keyof typeof servers, path: string): Promise<{ page: Page; errors: string[] }> {
  const server = servers[bank]
  if (!server) throw new Error(`no preview for ${bank}`)
  const w = await watchedPage(browser)
  await w.page.setViewportSize({ width: 390, height: 844 })
  await w.page.goto(new URL(path, server.url).href, { waitUntil: 'load' })
  return w
}

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[]
  passes: unknown[]
}

async function axe(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's own CSP (script-src 'self') rightly refuses an inline tag.
  await page.evaluate(AXE)
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run: (ctx: Document) => Promise<unknown> } }).axe.run(document),
  )) as AxeResult
  // axe ran its rules (an empty list must mean "nothing found", not "nothing checked").
  expect(result.passes.length).toBeGreaterThan(10)
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
}

/** What the page is for (its first screen, or its first card or thread) as a phone shows it; the clock left out. */
async function phoneView(page: Page, path: (typeof PAGES)[number]): Promise<Buffer> {
  const selector = path === '/cards' ? 'section.quote' : path === '/threads' ? 'section.thread' : 'body'
  const target = page.locator(selector).first()
  await target.scrollIntoViewIfNeeded()
  // Its cards near the screen (within Chromium's lazy-loading distance) load once it is scrolled to.
  await page.waitForFunction(
    (sel) =>
      Array.from(document.querySelectorAll<HTMLImageElement>(`${sel} img`))
        .filter((i) => i.getBoundingClientRect().top < window.innerHeight * 2)
        .every((i) => i.complete && i.naturalWidth > 0),
    selector,
    { timeout: 30_000 },
  )
  await page.evaluate(async (sel) => {
    // Only this part's images: a lazy one elsewhere is not loading, and decode() would wait for it.
    const imgs = Array.from(document.querySelectorAll<HTMLImageElement>(`${sel} img`)).filter(
      (i) => i.complete,
    )
    await Promise.all(imgs.map((i) => i.decode().catch(() => undefined)))
    const live = document.getElementById('live')
    if (live) live.textContent = 'Up to date'
  }, selector)
  return path === '/' ? page.screenshot() : target.screenshot()
}

describe('the preview on a 390 px phone', () => {
  for (const bank of ['asp21', 'long-strings'] as const)
    for (const path of PAGES)
      it(`${bank} ${path}: no sideways scroll, no serious axe violation, h1 first, labels unique, lang marked`, async () => {
        const { page, errors } = await phone(bank, path)
        try {
          const widths = await page.evaluate(() => {
            // What sticks out past the viewport, to name it when the test fails.
            const wide = Array.from(document.querySelectorAll<HTMLElement>('body *'))
              .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
              .filter((e) => !e.closest('.week-scroll'))
              .slice(0, 5)
              .map((e) => `${e.tagName.toLowerCase()}.${e.className}`)
            return { scroll: document.documentElement.scrollWidth, wide }
          })
          expect(widths).toEqual({ scroll: 390, wide: [] })

          expect(await axe(page)).toEqual([])

          const headings = await page
            .locator('h1, h2, h3, h4, h5, h6')
            .evaluateAll((hs) => hs.map((h) => h.tagName))
          expect(headings[0]).toBe('H1')
          expect(headings.filter((h) => h === 'H1')).toHaveLength(1)

          // Sections and navigation regions are told apart by their names.
          const labels = await page.evaluate(() =>
            Array.from(
              document.querySelectorAll('section[aria-labelledby], nav[aria-label], section[aria-label]'),
            ).map((e) => {
              const ids = e.getAttribute('aria-labelledby')?.split(/\s+/) ?? []
              const named = ids.map((id: string) => document.getElementById(id)?.textContent ?? '').join(' ')
              return `${e.tagName}:${(named || e.getAttribute('aria-label') || '').replace(/\s+/g, ' ').trim()}`
            }),
          )
          expect(labels.filter((l, i) => labels.indexOf(l) !== i)).toEqual([])

          // Every post, alt text and card image says its language (and lets the browser find its direction).
          const unmarked = await page
            .locator('.post-text, .alt-text, img.card, img.post-img, img.thumb')
            .evaluateAll((es) =>
              es
                .filter((e) => !e.getAttribute('lang') || e.getAttribute('dir') !== 'auto')
                .map((e) => e.outerHTML.slice(0, 80)),
            )
          expect(unmarked).toEqual([])
          if (path !== '/') expect(await page.locator('.post-text, .alt-text').count()).toBeGreaterThan(0)
          if (bank === 'asp21')
            await saveScreenshot(await phoneView(page, path), join(SHOTS, SHOT_NAME[path]))
          expect(errors).toEqual([])
        } finally {
          await page.close()
        }
      })

  it('an Arabic post and alt text read right to left, marked ar', async () => {
    const { page } = await phone('long-strings', '/threads')
    try {
      const post = page.locator('.post-text[lang="ar"]').first()
      await expect(post.evaluate((e) => getComputedStyle(e).direction)).resolves.toBe('rtl')
      const { page: cards } = await phone('long-strings', '/cards')
      const alt = cards.locator('.alt-text[lang="ar"]').first()
      await expect(alt.evaluate((e) => getComputedStyle(e).direction)).resolves.toBe('rtl')
      await cards.close()
    } finally {
      await page.close()
    }
  })
})
