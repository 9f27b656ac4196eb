import { createBullBoard } from '@bull-board/api'
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter'
import { HonoAdapter } from '@bull-board/hono'
import { serveStatic } from '@hono/node-server/serve-static'
import type { Hono } from 'hono'
import type { Logger } from 'pino'
import { publishJobId } from '../../queues/names.ts'
import { failureKind, type PublishJobData, type PublishResult } from '../../queues/payload.ts'
import { openQueues, type Queues } from '../../queues/queues.ts'
import { listUnconfirmed } from '../../queues/records.ts'
import { connectRedis, pingRedis, redactUrl } from '../../queues/redis.ts'
import type { Plan } from '../calendar/types.ts'
import type { Available } from './model.ts'
import { type PostState, type QueueStates, stateKey } from './status.ts'

export interface QueueLink {
  /** Bull Board, to mount under /queues; undefined when Redis is not reachable. */
  board?: Hono
  states(plan: Plan): Promise<Available<QueueStates>>
  close(): Promise<void>
}

const QUEUED = new Set(['delayed', 'waiting', 'wait', 'prioritized', 'paused', 'waiting-children'])

function fromJob(
  state: string,
  data: PublishJobData,
  result: PublishResult | undefined,
  failed?: string,
): PostState | undefined {
  if (QUEUED.has(state)) return { status: 'queued' }
  if (state === 'active') return { status: 'queued', detail: 'posting now' }
  if (state === 'completed') {
    if (result?.outcome === 'cancelled')
      return { status: 'cancelled', ...(result.note ? { detail: result.note } : {}) }
    const url = result?.refs[0]?.url ?? data.posted.find((p) => p?.url)?.url
    return { status: 'posted', ...(url ? { url } : {}) }
  }
  if (state === 'failed') {
    const kind = failureKind(failed)
    const status = kind === 'missed' ? 'missed' : kind === 'unconfirmed' ? 'unconfirmed' : 'failed'
    return { status, ...(failed ? { detail: failed } : {}) }
  }
  return undefined
}

async function readStates(q: Queues, plan: Plan): Promise<QueueStates> {
  const out: QueueStates = new Map()
  const unconfirmed = new Map((await listUnconfirmed(q)).map((u) => [u.jobId, u]))
  await Promise.all(
    plan.slots.flatMap((slot) =>
      slot.platforms.map(async (platform) => {
        const jobId = publishJobId(plan.campaign, slot.threadId, platform)
        const u = unconfirmed.get(jobId)
        if (u) {
          out.set(stateKey(slot.threadId, platform), {
            status: 'unconfirmed',
            detail: `part ${u.part}: ${u.reason}`,
          })
          return
        }
        const job = await q.publish[platform].getJob(jobId)
        if (!job) return
        const s = fromJob(await job.getState(), job.data, job.returnvalue ?? undefined, job.failedReason)
        if (s) out.set(stateKey(slot.threadId, platform), s)
      }),
    ),
  )
  return out
}

/**
 * Redis is optional for the preview: when it answers, the queue dashboard is mounted and slots show their
 * live state; when it does not, those two panels say so and the rest of the page works the same.
 */
export async function connectQueues(
  redisUrl: string | undefined,
  prefix: string,
  log?: Logger,
): Promise<QueueLink> {
  const url = redisUrl ?? 'redis://127.0.0.1:6379'
  if (!(await pingRedis(url, 800))) {
    const reason = `Redis at ${redactUrl(url)} is not reachable, so live post states are not shown`
    log?.info(reason)
    return {
      async states() {
        return { ok: false, reason }
      },
      async close() {},
    }
  }
  const redis = connectRedis(url)
  redis.on('error', (err) => log?.warn({ err }, 'preview: Redis error'))
  const q = openQueues(redis, prefix)
  const adapter = new HonoAdapter(serveStatic)
  createBullBoard({
    queues: [q.publish.x, q.publish.bluesky, q.cards, q.sweep].map((queue) => new BullMQAdapter(queue)),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'ngovoices queues' } },
  })
  adapter.setBasePath('/queues')
  return {
    board: adapter.registerPlugin(),
    async states(plan) {
      try {
        return { ok: true, value: await readStates(q, plan) }
      } catch (err) {
        return {
          ok: false,
          reason: `could not read the queue: ${err instanceof Error ? err.message : String(err)}`,
        }
      }
    },
    async close() {
      await q.close()
      redis.disconnect()
    },
  }
}

/**
 * Posts go out while the page is open: poll the queue and rebuild the page when a slot's state changes,
 * so the calendar turns "queued" into "posted" without anyone reloading. Returns the stop function.
 */
export function followQueueStates(
  link: QueueLink,
  currentPlan: () => Plan | undefined,
  onChange: () => void,
  everyMs: number,
): () => void {
  let last = ''
  let busy = false
  const timer = setInterval(async () => {
    const plan = currentPlan()
    if (busy || !plan) return
    busy = true
    try {
      const s = await link.states(plan)
      const print = s.ok ? JSON.stringify([...s.value.entries()].sort()) : s.reason
      if (last !== '' && print !== last) onChange()
      last = print
    } finally {
      busy = false
    }
  }, everyMs)
  timer.unref()
  return () => clearInterval(timer)
}
