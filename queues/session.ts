import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { Config } from '../src/config.ts'
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
