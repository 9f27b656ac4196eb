import type { Hono } from 'hono'
import type { Logger } from 'pino'
import type { Plan } from '../calendar/types.ts'
import type { Available } from './model.ts'
import type { QueueStates } from './status.ts'

export interface QueueLink {
  /** Bull Board, to mount under /queues; undefined when Redis is not reachable. */
  board?: Hono
  states(plan: Plan): Promise<Available<QueueStates>>
  close(): Promise<void>
}

// @TODO mount Bull Board and read post states once queues/ lands.
export async function connectQueues(
  _redisUrl: string | undefined,
  _prefix: string,
  _log?: Logger,
): Promise<QueueLink> {
  return {
    async states() {
      return { ok: false, reason: 'not available in this build yet' }
    },
    async close() {},
  }
}
