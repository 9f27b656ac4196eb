import { describe, expect, it } from 'vitest'
import { readConfig } from '../src/config.ts'
import { createLogger } from '../src/logger.ts'

// Secrets never reach a log line, however a careless call passes them.
const SECRETS = {
  X_API_KEY: 'xkey-0123456789',
  X_API_SECRET: 'xsecret-0123456789',
  X_ACCESS_TOKEN: 'xtoken-0123456789',
  X_ACCESS_SECRET: 'xaccesssecret-0123456789',
  BLUESKY_HANDLE: 'ngovoices-demo.bsky.social',
  BLUESKY_APP_PASSWORD: 'abcd-efgh-ijkl-mnop',
}

describe('logger', () => {
  it('redacts the config, its secrets, session tokens and authorization headers', () => {
    const lines: string[] = []
    const log = createLogger({ json: true, destination: { write: (l: string) => lines.push(l) } })
    const config = readConfig(SECRETS, '/nonexistent/.env')
    log.info({ config }, 'the whole config, nested')
    log.info(config, 'the whole config, top level')
    log.info({ secrets: config.secrets }, 'the secrets')
    log.info(
      { session: { accessJwt: 'jwt-access-0123456789', refreshJwt: 'jwt-refresh-0123456789' } },
      'a session',
    )
    log.info({ headers: { authorization: 'Bearer jwt-access-0123456789' } }, 'a request')
    const out = lines.join('')
    expect(lines).toHaveLength(5)
    for (const secret of [
      ...Object.entries(SECRETS)
        .filter(([k]) => k !== 'BLUESKY_HANDLE')
        .map(([, v]) => v),
      'jwt-access-0123456789',
      'jwt-refresh-0123456789',
    ]) {
      expect(out.includes(secret), `a log line holds ${secret.slice(0, 6)}…`).toBe(false)
    }
    expect(out).toContain('[redacted]')
  })
})
