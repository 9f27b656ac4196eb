import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { publishJobId } from '../../queues/names.ts'
import type { Slot } from '../../src/calendar/types.ts'
import { localClock, localToUtc } from '../../src/core/time.ts'
import { type BoardSite, boardSite, DAYS, noticeOf } from './board-site.ts'

// Must show 1: a drag (and the keyboard "Move") changes that thread's day in plan.yaml and nothing else, locks
// it, and the queued jobs get their new delay at once.

let site: BoardSite
const ZONE = 'Europe/Amsterdam'

beforeAll(async () => {
  site = await boardSite('board-move')
})
afterAll(async () => {
  await site?.close()
})

/** The lines of plan.yaml that differ, by line number (the file keeps its order, so lines pair up). */
function changedLines(before: string, after: string): { line: number; from: string; to: string }[] {
  const a = before.split('\n')
  const b = after.split('\n')
  expect(b.length).toBe(a.length)
  return a.flatMap((from, i) => (from === b[i] ? [] : [{ line: i + 1, from, to: b[i] ?? '' }]))
}

/**
 * When the job is now due: its data's slot, once its delay was set to match (changeDelay counts from the moment
 * it is called, so delay + that moment, within a few seconds of now, must be the slot).
 */
async function dueAt(threadId: string, platform: 'x' | 'bluesky'): Promise<number | undefined> {
  const job = await site.q.publish[platform].getJob(publishJobId('asp21', threadId, platform))
  if (!job) return undefined
  const setAt = job.data.dueAt - job.delay
  return Math.abs(setAt - Date.now()) < 5_000 ? job.data.dueAt : undefined
}

/** A day other than the slot's own, with room, so the move breaks no soft rule either. */
async function quietDay(slot: Slot): Promise<string> {
  const plan = await site.plan()
  const day = DAYS.find((d) => d !== slot.day && plan.slots.filter((s) => s.day === d).length < 2)
  if (!day) throw new Error('no quiet day in the test week')
  return day
}

async function expectMovedOnly(before: string, slot: Slot, day: string): Promise<void> {
  const after = await readFile(join(site.dir, 'plan.yaml'), 'utf8')
  const changed = changedLines(before, after)
  // Its day, its time line (same local time; the UTC comment follows the day) and its lock: nothing else.
  expect(changed.map((c) => c.from.trim().split(':')[0])).toEqual(['day', 'time', 'locked'])
  expect(changed[0]?.to).toContain(`day: ${day}`)
  expect(changed[1]?.to).toContain(`time: "${localClock(slot.at, ZONE)}"`)
  expect(changed[2]?.to.trim()).toBe('locked: true')
  const threadLine = before.split('\n').findIndex((l) => l.includes(`thread: ${slot.threadId}`)) + 1
  for (const c of changed) expect(c.line - threadLine).toBeGreaterThan(0)
  for (const c of changed) expect(c.line - threadLine).toBeLessThan(7)
  const moved = await site.slot(slot.quoteId)
  expect([moved.day, localClock(moved.at, ZONE), moved.locked]).toEqual([
    day,
    localClock(slot.at, ZONE),
    true,
  ])
}

describe('moving a thread on the board', () => {
  it('drags a thread to another day: only its day changes (same time), it is locked, its jobs move within 1 s', async () => {
    const slot = (await site.plan()).slots.find((s) => s.status === 'planned' && !s.locked)
    if (!slot) throw new Error('no slot to move')
    const day = await quietDay(slot)
    const before = await readFile(join(site.dir, 'plan.yaml'), 'utf8')
    const w = await site.open()
    const card = w.page.locator(`#slot-${slot.threadId}`)
    const row = card.locator('xpath=ancestor::tr')
    const target = row.locator(`td[data-drop-day="${day}"]`)
    const expected = Date.parse(localToUtc(day, localClock(slot.at, ZONE), ZONE) ?? '')
    await card.dragTo(target, { targetPosition: { x: 4, y: 4 } })
    // Measured from the drop: the page's request, plan.yaml and the sync to Redis all within the second.
    for (const p of slot.platforms)
      await expect.poll(() => dueAt(slot.threadId, p), { timeout: 1000, interval: 25 }).toBe(expected)
    await expectMovedOnly(before, slot, day)
    await expect(noticeOf(w.page, slot.threadId)).resolves.toMatch(/Moved to .* and locked there/)
    // The page shows it in its new day, locked.
    await expect
      .poll(() => w.page.locator(`td[data-drop-day="${day}"] #slot-${slot.threadId} .lock`).count())
      .toBe(1)
    expect(w.errors).toEqual([])
    await w.page.close()
  })

  it('does the same from the keyboard with the "Move" control (day and time fields)', async () => {
    const slot = (await site.plan()).slots.find((s) => s.status === 'planned' && !s.locked)
    if (!slot) throw new Error('no slot to move')
    const day = await quietDay(slot)
    const before = await readFile(join(site.dir, 'plan.yaml'), 'utf8')
    const w = await site.open(390)
    const summary = w.page.locator(`#slot-${slot.threadId} summary`)
    await summary.focus()
    await w.page.keyboard.press('Enter')
    const form = w.page.locator(`#move-${slot.threadId}`)
    await form.locator('select[name="day"]').focus()
    await form.locator('select[name="day"]').selectOption(day)
    await w.page.keyboard.press('Tab')
    await expect(
      form.locator('input[name="time"]').evaluate((el) => el === document.activeElement),
    ).resolves.toBe(true)
    const expected = Date.parse(localToUtc(day, localClock(slot.at, ZONE), ZONE) ?? '')
    await w.page.keyboard.press('Enter')
    for (const p of slot.platforms)
      await expect.poll(() => dueAt(slot.threadId, p), { timeout: 1000, interval: 25 }).toBe(expected)
    await expect(noticeOf(w.page, slot.threadId)).resolves.toMatch(/Moved to .* and locked there/)
    await expectMovedOnly(before, slot, day)
    expect(w.errors).toEqual([])
    await w.page.close()
  })
})
