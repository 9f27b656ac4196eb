import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { changeSlot, patchSlotText, planVersion, StalePlanError } from '../../src/calendar/plan-edit.ts'
import { planText, readPlanFile, writePlanFile } from '../../src/calendar/plan-file.ts'
import { planCampaign } from '../../src/calendar/planner.ts'
import type { Slot } from '../../src/calendar/types.ts'
import { localToUtc } from '../../src/core/time.ts'
import { loadBank } from '../../src/quotes/load.ts'
import { tempDir } from './helpers.ts'

// The board's writer: one thread's lines change, every other byte of a file people edit stays.

const { campaign, quotes } = await loadBank('fixtures/asp21')
const plan = planCampaign(campaign, quotes)
const zone = campaign.timezone
const first = plan.slots[0] as Slot
const moved = (s: Slot): Slot => {
  const at = localToUtc('2022-12-08', '15:30', zone) ?? ''
  return { ...s, at, day: '2022-12-08', locked: true }
}

describe('patchSlotText', () => {
  it('rewrites the day, time and locked lines of one thread and keeps a hand-written comment elsewhere', () => {
    const text = planText(plan, { quotes }).replace(
      'slots:\n',
      'slots:\n  # Amina: keep the victims’ quotes early\n',
    )
    const after = patchSlotText(text, moved(first), zone) ?? ''
    const a = text.split('\n')
    const b = after.split('\n')
    expect(b).toHaveLength(a.length)
    const changed = a.flatMap((l, i) => (l === b[i] ? [] : [b[i]?.trim().split(':')[0]]))
    expect(changed).toEqual(['day', 'time', 'locked'])
    expect(after).toContain('# Amina: keep the victims’ quotes early')
    expect(after).toContain('    time: "15:30"  # 2022-12-08T14:30:00Z (CET)')
  })

  it('adds a key a hand-edited slot left out, with the indentation of the others, and keeps CRLF line ends', () => {
    const text = planText(plan, { quotes })
      .split('\n')
      .filter((l, i, all) => !(l.trim() === 'locked: false' && all[i - 5]?.includes(first.threadId)))
      .join('\r\n')
    const after = patchSlotText(text, moved(first), zone) ?? ''
    expect(after).toContain('    locked: true\r\n')
    expect(after.split('\r\n').length).toBe(text.split('\r\n').length + 1)
  })

  it('gives up on a slot written as a flow map, so the caller writes the whole file', () => {
    const text = `campaign: asp21\ntimezone: ${zone}\nslots:\n  - { thread: ${first.threadId}, quote: ${first.quoteId}, day: ${first.day}, time: "09:00" }\n`
    expect(patchSlotText(text, moved(first), zone)).toBeUndefined()
  })
})

describe('changeSlot', () => {
  it('refuses a change made against another version of plan.yaml', async () => {
    const dir = await tempDir()
    await writePlanFile(dir, plan, { quotes })
    const seen = planVersion(await readFile(join(dir, 'plan.yaml'), 'utf8'))
    await writeFile(join(dir, 'plan.yaml'), `${await readFile(join(dir, 'plan.yaml'), 'utf8')}# edited\n`)
    await expect(changeSlot(dir, campaign, quotes, seen, first.threadId, moved)).rejects.toBeInstanceOf(
      StalePlanError,
    )
  })

  it('writes the whole plan when there is no plan.yaml yet, with the one slot changed', async () => {
    const dir = await tempDir()
    const done = await changeSlot(dir, campaign, quotes, planVersion(undefined), first.threadId, moved)
    const read = await readPlanFile(dir, zone)
    expect(read?.slots.find((s) => s.threadId === first.threadId)).toEqual(moved(first))
    expect(read?.slots.filter((s) => s.threadId !== first.threadId)).toEqual(
      plan.slots.filter((s) => s.threadId !== first.threadId),
    )
    expect(done.version).toBe(planVersion(await readFile(join(dir, 'plan.yaml'), 'utf8')))
  })
})
