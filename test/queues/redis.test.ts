import { randomBytes } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { evictionWarning, findRedis, pingRedis, RedisUnavailableError } from '../../queues/redis.ts'
import { cleanDir, REDIS_URL } from './helpers.ts'

// Finding Redis: REDIS_URL, else the local port, else a private redis-server, else one clear message.
describe('findRedis', () => {
  const dataDir = join('test', '.tmp', `queues-redis-${randomBytes(4).toString('hex')}`)
  afterEach(() => cleanDir(dataDir))

  it('uses REDIS_URL when it answers, and says which one does not', async () => {
    const found = await findRedis({ redisUrl: REDIS_URL })
    expect(found.source).toBe('REDIS_URL')
    await expect(findRedis({ redisUrl: 'redis://:secret@127.0.0.1:1' })).rejects.toThrow(
      'REDIS_URL is set but redis://:***@127.0.0.1:1 does not answer',
    )
  })

  it('starts redis-server on a free loopback port with AOF and noeviction when nothing answers, and stops it', async () => {
    const found = await findRedis({ localUrl: 'redis://127.0.0.1:1', dataDir })
    expect(found.source).toBe('started')
    expect(found.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/)
    const client = new Redis(found.url)
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes'])
    expect(await client.config('GET', 'bind')).toEqual(['bind', '127.0.0.1'])
    expect(await evictionWarning(client)).toBeUndefined()
    await client.set('k', 'v')
    client.disconnect()
    expect(await readdir(dataDir)).toContain('redis.log')
    // A second command while the first runs shares its server (two on one AOF folder would corrupt it).
    const second = await findRedis({ localUrl: 'redis://127.0.0.1:1', dataDir })
    expect([second.source, second.url]).toEqual(['local', found.url])
    await second.stop()
    expect(await pingRedis(found.url, 300)).toBe(true)
    await found.stop()
    expect(await pingRedis(found.url, 300)).toBe(false)
  })

  it('says how to get a Redis when there is none and no redis-server', async () => {
    const err = await findRedis({
      localUrl: 'redis://127.0.0.1:1',
      dataDir,
      redisServer: '/nonexistent/redis-server',
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RedisUnavailableError)
    expect(String((err as Error).message)).toMatch(/docker compose up -d redis.*apt-get install redis-server/)
  })

  it('warns when the eviction policy could drop jobs', async () => {
    const found = await findRedis({ localUrl: 'redis://127.0.0.1:1', dataDir })
    const client = new Redis(found.url)
    await client.config('SET', 'maxmemory-policy', 'allkeys-lru')
    expect(await evictionWarning(client)).toMatch(/maxmemory-policy is allkeys-lru/)
    client.disconnect()
    await found.stop()
  })
})
