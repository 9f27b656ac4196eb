import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)

// `ngovoices preview` on a folder that is not there: one line saying so, exit 1, no stack trace.
describe('ngovoices preview', () => {
  it('refuses a missing folder or a file with the path and the fix', async () => {
    for (const [dir, message] of [
      ['fixtures/no-such-bank', 'fixtures/no-such-bank  no such folder'],
      ['fixtures/asp21/quotes.yaml', 'fixtures/asp21/quotes.yaml  is a file, not a folder'],
    ] as const) {
      const err = await run(process.execPath, ['bin/ngovoices.mjs', 'preview', dir, '--port', '0'], {
        timeout: 30_000,
      }).then(
        () => undefined,
        (e: unknown) => e as { code: number; stderr: string },
      )
      expect(err?.code).toBe(1)
      expect(err?.stderr.trim().startsWith(message)).toBe(true)
      expect(err?.stderr).not.toMatch(/\n\s+at /)
    }
  })
})
