import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { copyFixtureBank } from '../fixture-copy.ts'

const run = promisify(execFile)

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/ngovoices.mjs', ...args], {
      env: { ...process.env, TZ: 'Pacific/Kiritimati' },
    })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('ngovoices validate (the CLI, spawned)', () => {
  it('passes the ASP21 bank with a one-screen summary and its warnings', async () => {
    const r = await cli('validate', 'fixtures/asp21')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe(
      '11 quotes in 1 file(s) · campaign asp21 (7 days, 2022-12-05 – 2022-12-11, Europe/Amsterdam)',
    )
    expect(lines).toContain('  by organisation  CICC 6 · AJAR 3 · AFC-ICC 1 · Al-Haq 1')
    expect(lines).toContain('  by language      en 11')
    expect(lines).toContain('  by consent       granted 10 · pending 1')
    expect(lines).toContain('  incomplete 1 · embargoed 0')
    expect(r.stdout).toMatch(/fixtures\/asp21\/quotes\.yaml:95:15 {2}incomplete: The source breaks off/)
    expect(r.stdout).toMatch(/fixtures\/asp21\/quotes\.yaml:165:13 {2}consent pending/)
    expect(lines.at(-1)).toBe('✓ no problems')
    expect(lines.length).toBeLessThan(25)
  })

  it('lists every problem as file:line:col  message  (fix) and exits 1', async () => {
    const r = await cli('validate', 'fixtures/invalid/yaml-syntax')
    expect(r.code).toBe(1)
    const lines = r.stderr.trimEnd().split('\n')
    expect(lines[0]).toMatch(
      /^fixtures\/invalid\/yaml-syntax\/quotes\.yaml:8:9 {2}YAML syntax error: .+ {2}\(.+\)$/,
    )
    expect(lines[1]).toMatch(
      /^fixtures\/invalid\/yaml-syntax\/quotes\.yaml:13:1 {2}YAML syntax error: Missing closing "quote/,
    )
    expect(lines.at(-1)).toBe('2 problem(s): fix them and run ngovoices validate again')
  })

  it('checks the files it is given, campaign and quotes together', async () => {
    const r = await cli(
      'validate',
      'fixtures/invalid/days-duplicated/campaign.yaml',
      'fixtures/invalid/missing-consent/quotes.yaml',
    )
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(
      'fixtures/invalid/days-duplicated/campaign.yaml:10:11  day 2022-12-06 is listed twice',
    )
    expect(r.stderr).toContain('fixtures/invalid/missing-consent/quotes.yaml:7:3  missing field consent')
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(
      '2 problem(s): fix them and run ngovoices validate again; 1 quote(s) left out of planning and posting until then',
    )
    const ok = await cli('validate', 'fixtures/asp21/quotes.yaml', 'fixtures/asp21/campaign.yaml')
    expect(ok.code).toBe(0)
  })

  it('flags a pinned or planned local time that does not exist or happens twice in the campaign’s zone', async () => {
    await mkdir('test/.tmp', { recursive: true })
    const dir = await mkdtemp(join('test/.tmp', 'validate-dst-'))
    await copyFixtureBank('fixtures/calendar/dst', dir)
    // 02:30 on 26 March 2023 never happens in Amsterdam (02:00 → 03:00); 02:30 on 29 October 2023 happens twice.
    const campaign = await readFile(join(dir, 'campaign.yaml'), 'utf8')
    await writeFile(
      join(dir, 'campaign.yaml'),
      campaign.replace('  - date: 2023-03-28\n', '  - date: 2023-03-28\n  - date: 2023-10-29\n'),
    )
    const quotes = await readFile(join(dir, 'quotes.yaml'), 'utf8')
    const pinned = quotes
      .replace('pin: 2023-03-26T09:00', 'pin: 2023-03-26T02:30')
      .replace('pin: 2023-03-27T10:00', 'pin: 2023-10-29T02:30')
    await writeFile(join(dir, 'quotes.yaml'), pinned)
    const r = await cli('validate', dir)
    expect(r.code).toBe(1)
    const line = (pin: string) => pinned.split('\n').findIndex((l) => l.includes(`pin: ${pin}`)) + 1
    expect(r.stderr).toContain(
      `${dir}/quotes.yaml:${line('2023-03-26T02:30')}:8  pin 2023-03-26T02:30: 2023-03-26 02:30 does not exist in Europe/Amsterdam (the clocks go forward that night)  (pin a time outside the skipped hour)`,
    )
    // Ambiguous is a warning: shown once the errors are fixed.
    await writeFile(
      join(dir, 'quotes.yaml'),
      pinned.replace('pin: 2023-03-26T02:30', 'pin: 2023-03-26T09:00'),
    )
    const warned = await cli('validate', dir)
    expect(warned.code).toBe(0)
    expect(warned.stdout).toContain(
      `${dir}/quotes.yaml:${line('2023-10-29T02:30')}:8  pin 2023-10-29T02:30: 2023-10-29 02:30 happens twice in Europe/Amsterdam (the clocks go back that night: at +02:00, then at +01:00); it would be posted at the second (+01:00)`,
    )
    // A plan.yaml edited to a time that does not exist: validate says so, with the plan's line.
    await writeFile(
      join(dir, 'plan.yaml'),
      [
        'campaign: dst23',
        'timezone: Europe/Amsterdam',
        'slots:',
        '  - thread: dst23-dst-free-1',
        '    quote: dst-free-1',
        '    day: 2023-03-26',
        '    time: "02:30"',
        '    platforms: [x, bluesky]',
        '',
      ].join('\n'),
    )
    const planned = await cli('validate', dir)
    expect(planned.code).toBe(1)
    expect(planned.stderr).toContain(
      `${dir}/plan.yaml:7:11  2023-03-26 02:30 does not exist in Europe/Amsterdam (the clocks go forward that night)  (pick a time outside the skipped hour)`,
    )
  })

  it('a missing folder is one line, exit 1, no stack trace', async () => {
    const r = await cli('validate', 'fixtures/nope')
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe('fixtures/nope  no such file or folder  (check the path)\n')
  })

  it('--json gives the summary and the problems', async () => {
    const r = await cli('validate', '--json', 'fixtures/invalid/csv-bad-handle')
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout) as { ok: boolean; summary: { quotes: number }; problems: unknown[] }
    expect(out.ok).toBe(false)
    expect(out.summary.quotes).toBe(1)
    expect(out.problems).toEqual([
      expect.objectContaining({
        file: 'fixtures/invalid/csv-bad-handle/quotes.csv',
        line: 3,
        col: 62,
        quoteId: 'bad-handle',
      }),
    ])
  })

  it('--help describes the command', async () => {
    const r = await cli('validate', '--help')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('validate')
    expect(r.stdout).toContain('--json')
  })
})
