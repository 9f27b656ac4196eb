import type { Logger } from 'pino'
import type { Config } from '../src/config.ts'
import { liveClock } from './clock.ts'
import { planDeps, publishDeps } from './deps.ts'
import { startHousekeeping } from './housekeeping.ts'
import { holdGate } from './rate-hold.ts'
import { runUntilStopped, type Session } from './session.ts'
import { startWorkers } from './worker.ts'

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
}) {
  const { session, config, log } = o
  const deps = publishDeps(config, { gate: (platform) => holdGate(session.q, platform) })
  const workers = startWorkers({
    q: session.q,
    deps,
    planDeps,
    clock: liveClock,
    graceMs: config.graceMinutes * 60_000,
    log,
  })
  const chores = startHousekeeping({ q: session.q, deps, log, timezone: o.timezone })
  log.info(
    { publisher: config.publisher, prefix: config.queuePrefix },
    'posting at the real times; Ctrl-C stops (jobs stay in Redis)',
  )
  await runUntilStopped(async (force) => {
    chores.stop()
    await workers.close(force)
    await deps.close()
    await session.close()
  })
}
