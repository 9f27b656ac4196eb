import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { copyFixtureBank } from '../fixture-copy.ts'
import { tempDir } from './helpers.ts'
import { readIcs } from './ics-read.ts'

const run = promisify(execFile)

interface Result {
  code: number
  stdout: string
  stderr: string
}

/** Runs `ngovoices plan` in a child process, in the time zone given (the machine's zone must not matter). */
async function plan(args: string[], tz = 'UTC'): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/ngovoices.mjs', 'plan', ...args], {
      env: { ...process.env, TZ: tz, NO_COLOR: '1' },
    })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string }
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

async function bankCopy(from: string): Promise<string> {
  const dir = await tempDir()
  await copyFixtureBank(from, dir)
  return dir
}

describe('ngovoices plan', () => {
  it('writes plan.yaml, says so, and shows the week, the unplaced quotes with reasons and the warnings', async () => {
    const dir = await bankCopy('fixtures/asp21')
    const r = await plan([dir])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Times in Europe/Amsterdam (UTC+01:00)')
    expect(r.stdout).toMatch(/09:00 +\| AJAR +\|/)
    expect(r.stdout).toContain('9 threads planned, 2 quotes not placed.')
    expect(r.stdout).toContain('  cicc-cooperation-investigations: consent is pending')
    expect(r.stdout).toMatch(/Wrote .*plan\.yaml: edit it/)
    const text = await readFile(join(dir, 'plan.yaml'), 'utf8')
    expect(text).toContain('thread: asp21-nur-rohingya-victim')

    const again = await plan([dir])
    expect(again.stdout).toContain('Re-plan: 0 added, 0 moved, 0 removed.')
    await expect(readFile(join(dir, 'plan.yaml'), 'utf8')).resolves.toBe(text)
  })

  it('an export path that cannot be written is one line with the path and the fix, no stack trace', async () => {
    const dir = await bankCopy('fixtures/asp21')
    const target = join(dir, 'campaign.yaml', 'plan.ics')
    const r = await plan([dir, '--dry-run', '--ics', target])
    expect(r.code).toBe(1)
    expect(r.stderr.trim()).toBe(
      `${target}  a part of the path is not a folder  (check the path, and that the folder exists and you may write there)`,
    )
  })

  it('--dry-run writes nothing', async () => {
    const dir = await bankCopy('fixtures/asp21')
    const r = await plan([dir, '--dry-run'])
    expect(r.stdout).toContain('--dry-run: plan.yaml not written.')
    await expect(readFile(join(dir, 'plan.yaml'), 'utf8')).rejects.toThrow(/ENOENT/)
  })

  it('a bad edit in plan.yaml exits 1 with file:line and the fix, no stack trace', async () => {
    const dir = await bankCopy('fixtures/asp21')
    await plan([dir])
    const file = join(dir, 'plan.yaml')
    const lines = (await readFile(file, 'utf8')).split('\n')
    const i = lines.findIndex((l) => l.startsWith('    locked:'))
    lines[i] = '    locked: perhaps'
    await writeFile(file, lines.join('\n'))
    const r = await plan([dir])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      new RegExp(`plan\\.yaml:${i + 1}:\\d+  locked is "perhaps"  \\(write locked: true or locked: false\\)`),
    )
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('gives the same ICS and local times when the machine is in Pacific/Auckland', async () => {
    // The child really runs in another zone: its own clock reads 10:00 differently.
    const probe = await run(
      process.execPath,
      ['-e', 'process.stdout.write(new Date(2023, 2, 27, 10).toISOString())'],
      {
        env: { ...process.env, TZ: 'Pacific/Auckland' },
      },
    )
    expect(probe.stdout).toBe('2023-03-26T21:00:00.000Z')
    const [here, there] = await Promise.all([
      plan(['fixtures/calendar/dst', '--dry-run', '--ics', '-'], 'UTC'),
      plan(['fixtures/calendar/dst', '--dry-run', '--ics', '-'], 'Pacific/Auckland'),
    ])
    const events = readIcs(there.stdout)
    const strip = (e: ReturnType<typeof readIcs>) =>
      e.map(({ uid, local, utc, tzid }) => ({ uid, local, utc, tzid }))
    expect(strip(events)).toEqual(strip(readIcs(here.stdout)))
    expect(events.find((e) => e.uid === 'dst23-dst-after@ngovoices')).toMatchObject({
      local: '2023-03-27T10:00:00',
      utc: '2023-03-27T08:00:00Z',
      tzid: 'Europe/Amsterdam',
    })
    // The report went to stderr, so stdout is the calendar alone.
    expect(there.stdout.startsWith('BEGIN:VCALENDAR')).toBe(true)
    expect(there.stderr).toContain('Times in Europe/Amsterdam (UTC+01:00, UTC+02:00)')
  })

  it('writes CSV and JSON files with local time, zone and UTC side by side', async () => {
    const dir = await tempDir()
    const csv = join(dir, 'plan.csv')
    const json = join(dir, 'plan.json')
    const r = await plan(['fixtures/calendar/dst', '--dry-run', '--csv', csv, '--json', json])
    expect(r.code).toBe(0)
    const rows = (await readFile(csv, 'utf8')).trim().split('\n')
    expect(rows[0]).toBe(
      'thread,quote,organisation,priority,day,local_time,timezone,utc,platforms,status,locked,card,reason',
    )
    expect(rows).toContain(
      'dst23-dst-after,dst-after,Org B,3,2023-03-27,10:00,Europe/Amsterdam,2023-03-27T08:00:00Z,x bluesky,planned,false,out/cards/dst-after.landscape.png,',
    )
    const parsed = JSON.parse(await readFile(json, 'utf8')) as {
      slots: { quoteId: string; at: string; local: { time: string } }[]
    }
    expect(parsed.slots.find((s) => s.quoteId === 'dst-before')).toMatchObject({
      at: '2023-03-25T09:00:00Z',
      local: { time: '10:00' },
    })
  })
})
