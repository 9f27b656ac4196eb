import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DueWakeWorker } from '../../queues/due-wake.ts'
import { dropNamespace, REDIS_URL, testPrefix } from '../redis-namespace.ts'
import { until } from './helpers.ts'

// The publish workers wake themselves at a delayed job's instant by writing the queue's marker (queues/due-wake.ts).
// How prompt that is belongs to the bench (post lateness); here: the wake goes through the marker, the jobs run in
// due order, and none runs before its instant.
describe('a worker that wakes itself at the next delayed job', () => {
  const open: { close(): Promise<unknown> }[] = []
  const prefixes: string[] = []
  afterEach(async () => {
    for (const c of open.splice(0).reverse()) await c.close()
    await dropNamespace(...prefixes.splice(0))
  })

  it('writes the marker at the instant, takes each job then, and none early', async () => {
    const prefix = testPrefix('due-wake')
    prefixes.push(prefix)
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null })
    open.push({ close: async () => redis.disconnect() })
    const queue = new Queue<{ n: number }>('due', { connection: redis, prefix })
    open.push(queue)
    const wakes = vi.spyOn(redis, 'zadd')
    const ran: { n: number; at: number; due: number }[] = []
    const worker = new DueWakeWorker<{ n: number }, void>(
      redis,
      'due',
      async (job) => {
        ran.push({ n: job.data.n, at: Date.now(), due: job.timestamp + job.delay })
      },
      { connection: redis, prefix },
    )
    open.unshift(worker)
    await worker.waitUntilReady()
    for (const n of [1, 2, 3]) await queue.add('due', { n }, { delay: 400 * n })
    await until('the three jobs to run', async () => ran.length === 3)
    expect(ran.map((r) => r.n)).toEqual([1, 2, 3])
    for (const r of ran) expect(r.at).toBeGreaterThanOrEqual(r.due)
    expect(wakes).toHaveBeenCalledWith(`${prefix}:due:marker`, 0, '0')
  })
})
