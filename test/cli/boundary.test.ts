import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'

// The CLI's one error boundary, seen from outside: what a person sees for a bug and for their own mistake.
function run(command: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/cli/boundary-command.ts', command], {
      env: { ...process.env, NO_COLOR: '1' },
    })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    child.on('close', (code) => ok({ code, stderr }))
  })
}

describe('the CLI error boundary', () => {
  it('a TypeError from a command keeps its stack (a bug to report)', async () => {
    const r = await run('bug')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('TypeError')
    expect(r.stderr).toMatch(/\n\s+at .*boundary-command\.ts/)
  })

  it('an InputError prints one line with the fix, no stack', async () => {
    const r = await run('mistake')
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(
      'campaign.yaml  timezone "Mars/Olympus" is not an IANA time zone  (write Europe/Amsterdam)\n',
    )
  })
})
