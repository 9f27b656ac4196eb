import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildModel, type PreviewModel } from '../../src/preview/model.ts'
import { galleryBody } from '../../src/preview/views/gallery.ts'
import { page as pageHtml } from '../../src/preview/views/layout.ts'
import { threadsBody } from '../../src/preview/views/threads.ts'
import type { Quote } from '../../src/quotes/schema.ts'
import { launch, ROOT, tempDir } from './helpers.ts'

// @NOTE `validate` refuses a bank with a direction override, so a hostile value can only reach the page by a
// bug or a future path that skips validation. The page must hold anyway: every string from the bank is set
// apart (<bdi>, dir="auto"), so an override inside it cannot reorder the words next to it. The model is built
// from the sample and then given the hostile values directly, as such a path would.

const RLO = '\u202E'

/** The x of each character of the element's text, in DOM order: for left-to-right text, strictly growing. */
async function charPositions(page: Page, selector: string): Promise<{ text: string; xs: number[] }> {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const node = Array.from(el.childNodes).find(
        (n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim(),
      )
      const text = node?.textContent ?? ''
      const xs: number[] = []
      for (let i = 0; node && i < text.length; i++) {
        if (text[i] === ' ') continue
        const r = document.createRange()
        r.setStart(node, i)
        r.setEnd(node, i + 1)
        xs.push(r.getBoundingClientRect().left)
      }
      return { text, xs }
    })
}

const increasing = (xs: number[]) => xs.every((x, i) => i === 0 || x > (xs[i - 1] ?? 0))

describe('a direction override in bank text cannot reorder the page around it', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>
  let browser: BrowserContext
  let model: PreviewModel
  let css: string

  beforeAll(async () => {
    tmp = await tempDir('bidi')
    browser = await launch(join(tmp.dir, 'profile'))
    css = await readFile(join(ROOT, 'src/preview/assets/preview.css'), 'utf8')
    const base = await buildModel(join(ROOT, 'fixtures/asp21'), 1)
    const quotes = base.quotes.map(
      (q): Quote =>
        q.id === 'nur-rohingya-victim'
          ? {
              ...q,
              speaker: { victim: true, anonymous: false, ...q.speaker, name: `Nur${RLO}` },
              organisation: { ...q.organisation, short: `AJAR${RLO}` },
            }
          : q,
    )
    model = { ...base, quotes, quoteById: new Map(quotes.map((q) => [q.id, q])) }
  })
  afterAll(async () => {
    await browser?.close()
    await tmp?.remove()
  })

  async function show(body: 'threads' | 'cards'): Promise<Page> {
    const html =
      body === 'threads'
        ? pageHtml(model, 'threads', 'Threads', threadsBody(model), { queuesMounted: false, csrf: 'x' })
        : pageHtml(model, 'cards', 'Cards', galleryBody(model), { queuesMounted: false, csrf: 'x' })
    const page = await browser.newPage()
    // The page's own markup and stylesheet, without its script or images (nothing here is served).
    await page.route('**/*', (r) => r.abort())
    await page.setContent(html.value.replace(/<script[^>]*><\/script>/g, ''))
    await page.addStyleTag({ content: css })
    return page
  }

  it('threads: the quote id after an overridden organisation reads left to right', async () => {
    const page = await show('threads')
    const heading = '#asp21-nur-rohingya-victim-h'
    expect(await page.locator(`${heading} bdi`).textContent()).toBe(`AJAR${RLO}`)
    const after = await charPositions(page, `${heading} code`)
    expect(after.text).toBe('nur-rohingya-victim')
    expect(increasing(after.xs), JSON.stringify(after.xs)).toBe(true)
    await page.close()
  })

  it('cards: the organisation after an overridden speaker name reads left to right', async () => {
    const page = await show('cards')
    const heading = page.locator('#q-nur-rohingya-victim-h')
    const names = await heading.locator('bdi').allTextContents()
    expect(names).toEqual([`Nur${RLO}`, 'Asia Justice and Rights'])
    const org = await charPositions(page, '#q-nur-rohingya-victim-h bdi:nth-of-type(2)')
    expect(org.text).toBe('Asia Justice and Rights')
    expect(increasing(org.xs), JSON.stringify(org.xs)).toBe(true)
    await page.close()
  })
})
