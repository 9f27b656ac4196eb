import { join } from 'node:path'
import { defineCommand } from 'citty'
import { planDeps } from '../../queues/deps.ts'
import { rehearse } from '../../queues/rehearsal.ts'
import { openSession } from '../../queues/session.ts'
import { formatSyncReport } from '../../queues/sync.ts'
import { syncLive } from '../../queues/worker.ts'
import { sessionOver } from '../campaign/session-over.ts'
import { inputError } from '../core/problem.ts'
import { createLogger } from '../logger.ts'
import { loadCampaign } from '../quotes/load.ts'
import { commandContext } from './context.ts'
import { serveUntilStopped } from './serve.ts'

export default defineCommand({
  meta: {
    name: 'start',
    description:
      'Render, plan, schedule and post: a rehearsal of the week into the outbox, or with --live for real',
  },
  args: {
    dir: { type: 'positional', required: false, default: 'fixtures/asp21', description: 'campaign folder' },
    live: {
      type: 'boolean',
      default: false,
      description: 'post for real, at the real times, with the publisher from the environment',
    },
    speed: {
      type: 'string',
      description: 'rehearsal clock speed (default 5040: the week in about two minutes)',
    },
  },
  run: async ({ args }) => {
    const { config, log } = commandContext()
    const speed = args.speed === undefined ? undefined : Number(args.speed)
    if (speed !== undefined && !(speed > 0)) {
      throw inputError(
        '--speed',
        `--speed must be a number above 0, got "${args.speed}"`,
        'e.g. --speed 5040 (a week in two minutes)',
      )
    }
    if (!args.live) {
      const stop = new AbortController()
      const onSignal = () => stop.abort()
      process.once('SIGINT', onSignal)
      try {
        const r = await rehearse({
          config: { ...config, publisher: 'outbox' },
          // The rehearsal prints its own lines; the log keeps to warnings.
          log: createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel }),
          dir: args.dir,
          ...(speed !== undefined ? { speed } : {}),
          out: (line) => process.stdout.write(`${line}\n`),
          signal: stop.signal,
        })
        return r.ok ? 0 : 1
      } finally {
        process.off('SIGINT', onSignal)
      }
    }
    // A session already over would only queue posts to be marked missed: say so instead.
    const campaign = await loadCampaign(args.dir)
    const over = sessionOver(campaign, new Date())
    if (over) {
      throw inputError(
        join(args.dir, 'campaign.yaml'),
        `the session ended on ${over} (${campaign.timezone}): --live would only mark every post missed`,
        'leave out --live to rehearse the week into the outbox, or set the coming session days in campaign.yaml',
      )
    }
    const s = await openSession(config, log)
    const report = await syncLive(s.q, planDeps, args.dir, config.cacheDir)
    process.stdout.write(`${formatSyncReport(report).join('\n')}\n`)
    await serveUntilStopped({ session: s, config, log, timezone: report.timezone, folders: [args.dir] })
  },
})
