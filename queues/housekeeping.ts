import cron from 'node-cron'
import type { Logger } from 'pino'
import type { Publisher } from '../src/platforms/publisher.ts'
import type { PublishDeps } from './deps.ts'
import type { Queues } from './queues.ts'
import { gatherStatus } from './status.ts'

// @NOTE Per-process chores (node-cron runs in every process; cluster-wide work is the reconcile job scheduler):
// keep each publisher's login session fresh, and one digest line a day in the log.

export function startHousekeeping(o: { q: Queues; deps: PublishDeps; log: Logger; timezone: string }): {
  stop(): void
} {
  const refresh = cron.schedule(
    '*/20 * * * *',
    async () => {
      await refreshSessions(o.deps, o.log)
    },
    { name: 'session-refresh', noOverlap: true },
  )
  const digest = cron.schedule(
    '0 8 * * *',
    async () => {
      const s = await gatherStatus(o.q)
      o.log.info({ counts: s.counts, paused: s.paused }, 'daily digest')
    },
    { name: 'daily-digest', timezone: o.timezone, noOverlap: true },
  )
  return {
    stop() {
      refresh.stop()
      digest.stop()
    },
  }
}

/** Renews each publisher's login session that has one; a failure is logged and tried again next time. */
export async function refreshSessions(deps: PublishDeps, log: Logger): Promise<number> {
  let refreshed = 0
  for (const p of await deps.created()) {
    const refresh = refresherOf(p)
    if (!refresh) continue
    await Promise.resolve()
      .then(refresh)
      .then(() => refreshed++)
      .catch((err: unknown) =>
        log.warn(
          { publisher: p.name, err: err instanceof Error ? err.message : String(err) },
          'session refresh failed',
        ),
      )
  }
  return refreshed
}

/** Publisher.refreshSession is the contract; the Bluesky adapter also names it `refresh`. */
function refresherOf(p: Publisher): (() => unknown) | undefined {
  if (p.refreshSession) return () => p.refreshSession?.()
  if ('refresh' in p) {
    const f = p.refresh
    if (typeof f === 'function') return () => f.call(p)
  }
  return undefined
}
