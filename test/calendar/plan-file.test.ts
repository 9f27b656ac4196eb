import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PLAN_FILE, readPlanFile, writePlanFile } from '../../src/calendar/plan-file.ts'
import { planCampaign } from '../../src/calendar/planner.ts'
import { InputError } from '../../src/core/problem.ts'
import { loadBank } from '../../src/quotes/load.ts'
import { tempDir } from './helpers.ts'

const { campaign, quotes } = await loadBank('fixtures/asp21')
const plan = planCampaign(campaign, quotes)
const zone = campaign.timezone

async function written(): Promise<{ dir: string; file: string; text: string }> {
  const dir = await tempDir()
  const file = await writePlanFile(dir, plan, { quotes })
  return { dir, file, text: await readFile(file, 'utf8') }
}

async function problemsOf(dir: string): Promise<string[]> {
  try {
    await readPlanFile(dir, zone)
  } catch (err) {
    if (err instanceof InputError) return err.problems.map((p) => `${p.line}: ${p.message} (${p.fix})`)
    throw err
  }
  throw new Error('expected an InputError')
}

describe('plan.yaml', () => {
  it('is undefined until written, then reads back the same plan', async () => {
    const dir = await tempDir()
    await expect(readPlanFile(dir, zone)).resolves.toBeUndefined()
    await writePlanFile(dir, plan, { quotes })
    await expect(readPlanFile(dir, zone)).resolves.toEqual(plan)
  })

  it('explains itself and shows local time with the UTC instant beside it', async () => {
    const { file, text } = await written()
    expect(file.endsWith(PLAN_FILE)).toBe(true)
    expect(text).toMatch(/^# Posting plan for asp21/)
    expect(text).toContain('status: cancelled')
    const nur = plan.slots.find((s) => s.quoteId === 'nur-rohingya-victim')
    expect(nur?.at).toBe('2022-12-05T08:00:00Z')
    expect(text).toContain('time: "09:00"  # 2022-12-05T08:00:00Z (CET)')
    expect(text).toContain('quote: nur-rohingya-victim  # AJAR, priority 5')
  })

  it('a staff edit of day and time moves the slot to that local time; lock and drop are kept', async () => {
    const { dir, file, text } = await written()
    const edited = text
      .replace(
        /(thread: asp21-nur-rohingya-victim\n.*\n) {4}day: 2022-12-05(.*)\n {4}time: "09:00"(.*)\n(.*\n) {4}locked: false/,
        '$1    day: 2022-12-08$2\n    time: "16:15"$3\n$4    locked: true',
      )
      .replace(
        /(thread: asp21-cicc-more-with-less\n(?:.*\n){5}) {4}status: planned/,
        '$1    status: cancelled',
      )
    expect(edited).not.toBe(text)
    await writeFile(file, edited)
    const back = await readPlanFile(dir, zone)
    const nur = back?.slots.find((s) => s.quoteId === 'nur-rohingya-victim')
    expect(nur).toMatchObject({
      at: '2022-12-08T15:15:00Z',
      day: '2022-12-08',
      locked: true,
      status: 'planned',
    })
    expect(back?.slots.find((s) => s.quoteId === 'cicc-more-with-less')?.status).toBe('cancelled')
    // Re-planning keeps both edits.
    const next = planCampaign(campaign, quotes, back)
    expect(next.slots.find((s) => s.quoteId === 'nur-rohingya-victim')?.at).toBe('2022-12-08T15:15:00Z')
    expect(next.slots.find((s) => s.quoteId === 'cicc-more-with-less')?.status).toBe('cancelled')
  })

  it('reads a slot after a clock change at its own offset (Europe/Amsterdam, 26 March 2023)', async () => {
    const dir = await tempDir()
    const text = [
      'campaign: dst23',
      'timezone: Europe/Amsterdam',
      'slots:',
      ...['2023-03-25', '2023-03-27'].flatMap((day, i) => [
        `  - thread: dst23-q${i}`,
        `    quote: q${i}`,
        `    day: ${day}`,
        '    time: "09:00"',
      ]),
    ].join('\n')
    await writeFile(join(dir, PLAN_FILE), text)
    const back = await readPlanFile(dir, 'Europe/Amsterdam')
    expect(back?.slots.map((s) => s.at)).toEqual(['2023-03-25T08:00:00Z', '2023-03-27T07:00:00Z'])
    expect(back?.slots.every((s) => s.status === 'planned' && !s.locked)).toBe(true)
  })

  it('rejects bad edits with the line and the fix, all at once', async () => {
    const { dir, file, text } = await written()
    const lines = text.split('\n')
    const at = (needle: string) => lines.findIndex((l) => l.includes(needle))
    const time = at('time: "09:00"  # 2022-12-05T08:00:00Z')
    const status = lines.findIndex((l, i) => i > time && l.includes('status:'))
    lines[time] = '    time: "9h"'
    lines[status] = '    status: dropped'
    const thread = at('thread: asp21-ajar-myanmar-prioritise')
    lines[thread] = '  - thread: asp21-something-else'
    lines.splice(thread + 1, 0, '    colour: red')
    await writeFile(file, lines.join('\n'))
    const problems = await problemsOf(dir)
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^${time + 1}: time "9h" is not a time .*"HH:mm"`)),
      expect.stringMatching(
        new RegExp(
          `^${status + 1}: status "dropped" is not one of planned, posted, cancelled .*status: cancelled`,
        ),
      ),
      expect.stringMatching(new RegExp(`^${thread + 2}: unknown field "colour"`)),
      expect.stringMatching(
        new RegExp(
          `^${thread + 1}: thread is "asp21-something-else" .*write thread: asp21-ajar-myanmar-prioritise`,
        ),
      ),
    ])
  })

  it('rejects a time the clock change skips, broken YAML and a duplicated quote', async () => {
    const dir = await tempDir()
    const file = join(dir, PLAN_FILE)
    const slot = (q: string, day: string, time: string) => [
      `  - thread: c-${q}`,
      `    quote: ${q}`,
      `    day: ${day}`,
      `    time: "${time}"`,
    ]
    await writeFile(
      file,
      ['campaign: c', 'timezone: Europe/Amsterdam', 'slots:', ...slot('a', '2023-03-26', '02:30')].join('\n'),
    )
    await expect(problemsOf(dir)).resolves.toEqual([
      expect.stringMatching(/^7: 2023-03-26 02:30 does not exist in Europe\/Amsterdam/),
    ])
    await writeFile(
      file,
      [
        'campaign: c',
        'slots:',
        ...slot('a', '2023-03-27', '10:00'),
        ...slot('a', '2023-03-28', '10:00'),
      ].join('\n'),
    )
    await expect(problemsOf(dir)).resolves.toEqual([
      expect.stringMatching(/^7: quote a has a second slot \(the first is on line 3\)/),
    ])
    await writeFile(file, 'campaign: c\nslots:\n  - thread: [unclosed\n')
    const broken = await problemsOf(dir)
    expect(broken[0]).toMatch(/^\d+: .*\(fix the YAML syntax/)
  })
})
