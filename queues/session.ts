import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import { type Config, readConfig } from '../src/config.ts'
import { createLogger } from '../src/logger.ts'
import { openQueues, type Queues } from './queues.ts'
import { connectRedis, evictionWarning, type FoundRedis, findRedis, redactUrl } from './redis.ts'

// @NOTE What every queue command does first: find (or start) Redis, warn about eviction, open the queues of one
// namespace. `close` undoes all of it, including a redis-server this command started.

export interface Session {
  q: Queues
  redis: Redis
  found: FoundRedis
  close(): Promise<void>
}

export async function openSession(
  config: Config,
  log: Logger,
  prefix = config.queuePrefix,
): Promise<Session> {
  const found = await findRedis(config.redisUrl ? { redisUrl: config.redisUrl } : {})
  if (found.source === 'started')
    log.info({ url: found.url }, 'started redis-server for this command (data in .ngovoices/redis)')
  else log.debug({ url: redactUrl(found.url) }, `using Redis (${found.source})`)
  const redis = connectRedis(found.url)
  redis.on('error', (err) => log.warn({ err: err.message }, 'Redis connection'))
  const warning = await evictionWarning(redis)
  if (warning) log.warn(warning)
  const q = openQueues(redis, prefix)
  return {
    q,
    redis,
    found,
    async close() {
      await q.close()
      await redis.quit().catch(() => redis.disconnect())
      await found.stop()
    },
  }
}

/** Runs until SIGINT/SIGTERM, then stops gracefully; a second signal forces the stop. */
export async function runUntilStopped(
  stop: (force: boolean) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  await new Promise<void>((ok) => {
    process.once('SIGINT', ok)
    process.once('SIGTERM', ok)
    signal?.addEventListener('abort', () => ok(), { once: true })
  })
  const again = () => void stop(true)
  process.once('SIGINT', again)
  process.once('SIGTERM', again)
  try {
    await stop(false)
  } finally {
    process.off('SIGINT', again)
    process.off('SIGTERM', again)
  }
}

/** The environment's config and a logger set from it: what every command starts with. */
export function commandContext(): { config: Config; log: Logger } {
  const config = readConfig()
  const log = createLogger({
    level: config.logLevel,
    ...(config.logJson !== undefined ? { json: config.logJson } : {}),
  })
  return { config, log }
}

/** Opens a session with the environment's config for a short command, runs `fn`, always closes. */
export async function withSession<T>(fn: (s: Session) => Promise<T>): Promise<T> {
  const { config, log } = commandContext()
  const s = await openSession(config, log)
  try {
    return await fn(s)
  } finally {
    await s.close()
  }
}
