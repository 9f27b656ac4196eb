import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { CHANGE_LOG } from '../../src/calendar/change-log.ts'
import { REDIS_URL, useHarness } from './helpers.ts'

const run = promisify(execFile)

// The change log beside the plan is kept by the CLI too: `plan`, `pause`, `resume` write who (the OS user),
// what, from and to, as the page does with the name a staffer gives.
describe('the change log from the command line', () => {
  const h = useHarness()
  const cli = (...args: string[]) =>
    run(process.execPath, ['bin/ngovoices.mjs', ...args], {
      env: { ...process.env, REDIS_URL, NGOVOICES_QUEUE_PREFIX: h.q.prefix, LOG_LEVEL: 'warn', TZ: 'UTC' },
    })

  it('logs a plan, and a pause and resume of the namespace the folder was synced into, as the OS user', async () => {
    await cli('plan', h.dir)
    await cli('schedule', h.dir)
    await cli('pause')
    await cli('resume')
    const lines = (await readFile(join(h.dir, CHANGE_LOG), 'utf8')).trim().split('\n')
    const who = `${userInfo().username} (command line)`
    const fields = lines.map((l) => l.split('\t'))
    expect(
      fields.every((f) => f.length === 5 && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(f[0] ?? '')),
    ).toBe(true)
    expect(fields.every((f) => f[1] === who)).toBe(true)
    expect(
      fields.filter((f) => f[2]?.startsWith('planned (ngovoices plan): placed asp21-')).length,
    ).toBeGreaterThan(4)
    expect(fields.slice(-2).map((f) => f.slice(2))).toEqual([
      ['paused all posting', 'running', 'paused'],
      ['resumed posting', 'paused', 'running'],
    ])
  })
})
