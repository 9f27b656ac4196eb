import { defineCommand } from 'citty'
import { liveClock } from '../../queues/clock.ts'
import { planDeps, publishDeps } from '../../queues/deps.ts'
import { startHousekeeping } from '../../queues/housekeeping.ts'
import { commandContext, openSession, runQueueCommand, runUntilStopped } from '../../queues/session.ts'
import { scheduleSweep, startWorkers } from '../../queues/worker.ts'
import { loadCampaign } from '../quotes/load.ts'

export default defineCommand({
  meta: {
    name: 'worker',
    description:
      'Post each thread at its time. Run as many as you like, on as many machines, sharing one Redis',
  },
  args: {
    dir: {
      type: 'positional',
      required: false,
      description: 'campaign folder to keep in sync (the reconcile sweep)',
    },
  },
  run: ({ args }) =>
    runQueueCommand(async () => {
      const { config, log } = commandContext()
      const campaign = args.dir ? await loadCampaign(args.dir) : undefined
      const s = await openSession(config, log)
      const deps = publishDeps(config)
      if (args.dir && campaign) await scheduleSweep(s.q, args.dir, campaign.id, campaign.timezone)
      const workers = startWorkers({
        q: s.q,
        deps,
        planDeps,
        clock: liveClock,
        graceMs: config.graceMinutes * 60_000,
        log,
      })
      const chores = startHousekeeping({ q: s.q, deps, log, timezone: campaign?.timezone ?? 'UTC' })
      log.info({ publisher: config.publisher, prefix: config.queuePrefix }, 'worker running; Ctrl-C stops it')
      // A graceful stop finishes the part being posted; a second Ctrl-C leaves it to another worker's checkpoint.
      await runUntilStopped(async (force) => {
        chores.stop()
        await workers.close(force)
        await deps.close()
        await s.close()
      })
    }),
})
