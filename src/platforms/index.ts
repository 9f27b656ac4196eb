import { join } from 'node:path'
import type { Config } from '../config.ts'
import { PermanentError } from './errors.ts'
import { createOutboxPublisher } from './outbox.ts'
import type { Publisher, RequestGate } from './publisher.ts'

// The one place that turns a publisher name and the config into a Publisher. Platform SDKs are loaded only
// for the publisher asked for, so the outbox (the default) never pays for them.

const xCode = () => Promise.all([import('./x.ts'), import('./x-client.ts')])
const blueskyCode = () => Promise.all([import('./bluesky.ts'), import('./bluesky-session-store.ts')])

/**
 * Loads a platform's code without creating its publisher (which may call the platform): a live worker does this
 * while it warms up, because loading @atproto/api took 0.3–1 s, which its first post would otherwise wait for.
 */
export async function loadPublisherCode(name: 'x' | 'bluesky' | 'outbox'): Promise<void> {
  if (name === 'x') await xCode()
  if (name === 'bluesky') await blueskyCode()
}

export async function createPublisher(
  name: 'x' | 'bluesky' | 'outbox',
  config: Config,
  gate?: RequestGate,
): Promise<Publisher> {
  if (name === 'outbox') return createOutboxPublisher({ dir: config.outboxDir })
  if (name === 'x') {
    const secrets = config.secrets.x
    if (!secrets)
      throw new PermanentError(
        'X: set X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN and X_ACCESS_SECRET to post to X',
      )
    const [{ createXPublisher }, { xTarget }] = await xCode()
    return createXPublisher(secrets, {
      ...xTarget(config.xApiBaseUrl),
      timeoutMs: config.platformTimeoutMs,
      ...(gate ? { gate } : {}),
    })
  }
  const secrets = config.secrets.bluesky
  if (!secrets)
    throw new PermanentError('Bluesky: set BLUESKY_HANDLE and BLUESKY_APP_PASSWORD to post to Bluesky')
  const [{ createBlueskyPublisher }, { fileSessionStore }] = await blueskyCode()
  // A restarted worker resumes this session instead of spending one of the account's few logins.
  return createBlueskyPublisher(secrets, {
    store: fileSessionStore(blueskySessionFile(config)),
    timeoutMs: config.platformTimeoutMs,
    ...(gate ? { gate } : {}),
  })
}

/** Where the Bluesky session (tokens, owner-only) is kept between runs. */
export function blueskySessionFile(config: Config): string {
  return join(config.cacheDir, 'bluesky-session.json')
}
