import type { Logger } from 'pino'
import { campaignFolders } from '../../queues/campaign-folders.ts'
import { liveClock } from '../../queues/clock.ts'
import { planDeps, publishDeps } from '../../queues/deps.ts'
import { startHousekeeping } from '../../queues/housekeeping.ts'
import { holdGate } from '../../queues/rate-hold.ts'
import type { Session } from '../../queues/session.ts'
import { startWorkers } from '../../queues/worker.ts'
import type { Config } from '../config.ts'
import { runUntilStopped } from './context.ts'

/**
 * A live worker process (`ngovoices worker`, `ngovoices start --live`): posts at the real times until
 * SIGINT/SIGTERM. A graceful stop finishes the part being posted; a second signal leaves it to another
 * worker, which resumes from the checkpoint.
 */
export async function serveUntilStopped(o: {
  session: Session
  config: Config
  log: Logger
  timezone: string
  /** The campaign folders this worker serves (besides those `schedule` synced into its namespace); the first
   * one's first card warms the renderer. */
  folders: readonly string[]
}) {
  const { session, config, log } = o
  const deps = publishDeps(config, { gate: (platform) => holdGate(session.q, platform) })
  // Before taking jobs: a cold renderer made each worker's first post 0.5–0.8 s late, a cold composer 0.1–0.2 s
  // (BENCHMARKS.md), loading a platform's SDK 0.3–1 s.
  await deps.warm?.(o.folders[0], liveClock.mode)
  const workers = startWorkers({
    q: session.q,
    folders: campaignFolders(session.q, o.folders),
    deps,
    planDeps,
    clock: liveClock,
    graceMs: config.graceMinutes * 60_000,
    log,
  })
  const chores = startHousekeeping({ q: session.q, deps, log, timezone: o.timezone })
  await runUntilStopped(
    async (force) => {
      chores.stop()
      await workers.close(force)
      await deps.close()
      await session.close()
    },
    () =>
      log.info(
        { publisher: config.publisher, prefix: config.queuePrefix },
        'posting at the real times; Ctrl-C stops (jobs stay in Redis)',
      ),
  )
}
