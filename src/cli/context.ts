import type { Logger } from 'pino'
import { openSession, type Session } from '../../queues/session.ts'
import { type Config, readConfig } from '../config.ts'
import { createLogger } from '../logger.ts'

// @NOTE What a command does around the queue work: its config and logger, a session it always closes, and a
// stop on SIGINT/SIGTERM. Command-line plumbing, so it lives with the commands, not in queues/.

/** Runs until SIGINT/SIGTERM, then stops gracefully; a second signal forces the stop. */
export async function runUntilStopped(
  stop: (force: boolean) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  await new Promise<void>((ok) => {
    process.once('SIGINT', ok)
    process.once('SIGTERM', ok)
    signal?.addEventListener('abort', () => ok(), { once: true })
  })
  const again = () => void stop(true)
  process.once('SIGINT', again)
  process.once('SIGTERM', again)
  try {
    await stop(false)
  } finally {
    process.off('SIGINT', again)
    process.off('SIGTERM', again)
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
