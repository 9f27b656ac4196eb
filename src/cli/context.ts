import type { Logger } from 'pino'
import { openSession, type Session } from '../../queues/session.ts'
import { type Config, readConfig } from '../config.ts'
import { createLogger } from '../logger.ts'

// @NOTE What a command does around the queue work: its config and logger, a session it always closes, and a
// stop on SIGINT/SIGTERM. Command-line plumbing, so it lives with the commands, not in queues/.

/**
 * Runs until SIGINT/SIGTERM, then stops gracefully; a second signal forces the stop. `ready` runs once the
 * handlers are in place: a "Ctrl-C stops" said before them is untrue, since a signal that arrives while none
 * is installed kills the process at once (seen: a supervisor's SIGTERM right after the line).
 */
export async function runUntilStopped(
  stop: (force: boolean) => Promise<void>,
  ready: () => void,
): Promise<void> {
  let asked: () => void = () => {}
  let stopping = false
  // One handler for the whole run: between the first signal and a second there is never a moment without one.
  const onSignal = () => {
    if (stopping) void stop(true)
    else asked()
    stopping = true
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    await new Promise<void>((ok) => {
      asked = ok
      ready()
    })
    await stop(false)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
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
