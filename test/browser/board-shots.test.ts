import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BoardSite, boardSite, noticeOf, unexpected } from './board-site.ts'
import { ROOT, saveScreenshot } from './helpers.ts'

// Must show 7: the README's pictures of the board, taken from a real drag in Chromium and a real refusal.

const SHOTS = join(ROOT, 'screenshots')
let site: BoardSite

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true })
  site = await boardSite('board-shots')
})
afterAll(async () => {
  await site?.close()
})

/** Every thumbnail of the week loaded and decoded (they load lazily), so the pictures do not change run to run. */
async function allThumbnails(page: Page): Promise<void> {
  await page.locator('.week-scroll img').evaluateAll((imgs) =>
    Promise.all(
      (imgs as HTMLImageElement[]).map((i) => {
        i.loading = 'eager'
        return i.decode()
      }),
    ),
  )
}

describe('the board in pictures', () => {
  it('mid-drag: the dragged thread is marked and every cell shows the times it can take', async () => {
    const slot = (await site.plan()).slots.find((s) => s.status === 'planned')
    if (!slot) throw new Error('no slot')
    const w = await site.open()
    await allThumbnails(w.page)
    const card = w.page.locator(`#slot-${slot.threadId} .slot-head`)
    const target = w.page.locator('td[data-drop-day="2027-03-31"]').first()
    const from = await card.boundingBox()
    if (!from) throw new Error('nothing to drag')
    await w.page.mouse.move(from.x + 20, from.y + 8)
    await w.page.mouse.down()
    await w.page.mouse.move(from.x + 40, from.y + 20, { steps: 4 })
    // Once the drag has begun every cell shows its times (the rows grow): the target is found now.
    await target.locator('.drop-slot[data-drop-time="10:30"]').hover()
    await expect(w.page.locator('body.dragging').count()).resolves.toBe(1)
    await expect(w.page.locator('.drop-here').getAttribute('data-drop-time')).resolves.toBe('10:30')
    await expect(w.page.locator('.drop-slot').first().isVisible()).resolves.toBe(true)
    await saveScreenshot(await w.page.locator('.week-scroll').screenshot(), join(SHOTS, 'board-drag.png'))
    // Let go outside any cell: nothing moves.
    await w.page.mouse.move(5, 5, { steps: 4 })
    await w.page.mouse.up()
    await expect(w.page.locator('body.dragging').count()).resolves.toBe(0)
    expect(unexpected(w.errors)).toEqual([])
    await w.page.close()
  })

  it('after a refused move: the reason beside the thread', async () => {
    const slot = (await site.plan()).slots.find((s) => s.status === 'planned' && s.day === '2027-03-28')
    const any = slot ?? (await site.plan()).slots.find((s) => s.status === 'planned')
    if (!any) throw new Error('no slot')
    const w = await site.open()
    await allThumbnails(w.page)
    await w.page.locator(`#slot-${any.threadId} summary`).click()
    const form = w.page.locator(`#move-${any.threadId}`)
    await form.locator('select[name="day"]').selectOption('2027-03-28')
    await form.locator('input[name="time"]').fill('02:30')
    await form.locator('button[type="submit"]').click()
    await expect(noticeOf(w.page, any.threadId)).resolves.toMatch(/does not exist on 2027-03-28/)
    const column = w.page.locator(`#slot-${any.threadId}`).locator('xpath=ancestor::tr')
    await saveScreenshot(await column.screenshot(), join(SHOTS, 'board-refused.png'))
    expect(unexpected(w.errors)).toEqual([])
    await w.page.close()
  })
})
