import { join } from 'node:path'
import type { Config } from '../config.ts'
import { PermanentError } from './errors.ts'
import { createOutboxPublisher } from './outbox.ts'
import type { Publisher } from './publisher.ts'

// The one place that turns a publisher name and the config into a Publisher. Platform SDKs are loaded only
// for the publisher asked for, so the outbox (the default) never pays for them.

export async function createPublisher(name: 'x' | 'bluesky' | 'outbox', config: Config): Promise<Publisher> {
  if (name === 'outbox') return createOutboxPublisher({ dir: config.outboxDir })
  if (name === 'x') {
    const secrets = config.secrets.x
    if (!secrets)
      throw new PermanentError(
        'X: set X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN and X_ACCESS_SECRET to post to X',
      )
    const { createXPublisher } = await import('./x.ts')
    const { xTarget } = await import('./x-client.ts')
    return createXPublisher(secrets, { ...xTarget(config.xApiBaseUrl), timeoutMs: config.platformTimeoutMs })
  }
  const secrets = config.secrets.bluesky
  if (!secrets)
    throw new PermanentError('Bluesky: set BLUESKY_HANDLE and BLUESKY_APP_PASSWORD to post to Bluesky')
  const { createBlueskyPublisher } = await import('./bluesky.ts')
  const { fileSessionStore } = await import('./bluesky-session-store.ts')
  // A restarted worker resumes this session instead of spending one of the account's few logins.
  return createBlueskyPublisher(secrets, {
    store: fileSessionStore(blueskySessionFile(config)),
    timeoutMs: config.platformTimeoutMs,
  })
}

/** Where the Bluesky session (tokens, owner-only) is kept between runs. */
export function blueskySessionFile(config: Config): string {
  return join(config.cacheDir, 'bluesky-session.json')
}
