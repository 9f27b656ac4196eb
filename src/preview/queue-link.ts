import { createBullBoard } from '@bull-board/api'
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter'
import { HonoAdapter } from '@bull-board/hono'
import { serveStatic } from '@hono/node-server/serve-static'
import type { Hono } from 'hono'
import type { Logger } from 'pino'
import { openQueues, type Queues } from '../../queues/queues.ts'
import { connectRedis, findRedis, RedisUnavailableError } from '../../queues/redis.ts'
import { gatherStatus, type ThreadStatus } from '../../queues/status.ts'
import type { Plan } from '../calendar/types.ts'
import { safeUrl } from './html.ts'
import type { Available } from './model.ts'
import { type PostState, type QueueStates, stateKey } from './status.ts'

export interface QueueLink {
  /** Bull Board, to mount under /queues; undefined when Redis is not reachable. */
  board?: Hono
  /** The queues themselves, for the planning board's writes; undefined when Redis is not reachable. */
  q?: Queues
  states(plan: Plan): Promise<Available<QueueStates>>
  close(): Promise<void>
}

// @NOTE The states come from `gatherStatus`, the same reading `ngovoices status` prints, so the page and the
// terminal never disagree; here they are folded into the page's seven words, with what to do as the detail.
function toPostState(t: ThreadStatus): PostState {
  const detail = [t.detail, t.next !== 'nothing' ? `next: ${t.next}` : ''].filter(Boolean).join(' · ')
  const withDetail = detail ? { detail } : {}
  switch (t.state) {
    case 'queued':
    case 'retrying':
    case 'running':
      return { status: 'queued', ...withDetail }
    case 'posted': {
      const url = safeUrl(t.url)
      return { status: 'posted', ...(url ? { url } : {}), ...withDetail }
    }
    default:
      return { status: t.state, ...withDetail }
  }
}

async function readStates(q: Queues, plan: Plan): Promise<QueueStates> {
  const report = await gatherStatus(q)
  const out: QueueStates = new Map()
  for (const t of report.threads) {
    if (t.campaign === plan.campaign) out.set(stateKey(t.threadId, t.platform), toPostState(t))
  }
  // A thread cancelled by hand has no job left: both platforms show it, with the reason.
  for (const c of report.handCancelled) {
    for (const slot of plan.slots) {
      if (slot.threadId !== c.thread) continue
      for (const p of slot.platforms)
        out.set(stateKey(slot.threadId, p), { status: 'cancelled', detail: c.reason })
    }
  }
  return out
}

/**
 * Redis is optional for the preview: when it answers, the queue dashboard is mounted and slots show their
 * live state; when it does not, those two panels say so and the rest of the page works the same.
 */
export async function connectQueues(
  redisUrl: string | undefined,
  prefix: string,
  opts: { actions: boolean; log?: Logger },
): Promise<QueueLink> {
  const { log } = opts
  // The same search as every queue command (REDIS_URL, the local port, a server `start` left running on the
  // project's data folder), except that the page never starts a Redis of its own.
  const found = await findRedis({ ...(redisUrl ? { redisUrl } : {}), start: false }).catch((err: unknown) => {
    if (err instanceof RedisUnavailableError) return err
    throw err
  })
  if (found instanceof RedisUnavailableError) {
    const reason = `Redis is not reachable, so live post states are not shown (${found.message})`
    log?.info(reason)
    return {
      async states() {
        return { ok: false, reason }
      },
      async close() {},
    }
  }
  const redis = connectRedis(found.url)
  redis.on('error', (err) => log?.warn({ err }, 'preview: Redis error'))
  const q = openQueues(redis, prefix)
  const adapter = new HonoAdapter(serveStatic)
  createBullBoard({
    // Read-only unless asked for: retry, clean, add and pause are then offered, behind the page's write checks.
    queues: [q.publish.x, q.publish.bluesky, q.cards, q.sweep].map(
      (queue) => new BullMQAdapter(queue, { readOnlyMode: !opts.actions }),
    ),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'ngovoices queues' } },
  })
  adapter.setBasePath('/queues')
  return {
    board: adapter.registerPlugin(),
    q,
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
