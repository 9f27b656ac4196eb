import { defineCommand } from 'citty'
import { liveClock } from '../../queues/clock.ts'
import { planDeps } from '../../queues/deps.ts'
import { commandContext, openSession, runQueueCommand } from '../../queues/session.ts'
import { formatSyncReport, syncPlan } from '../../queues/sync.ts'
import { scheduleSweep } from '../../queues/worker.ts'

export default defineCommand({
  meta: {
    name: 'schedule',
    description:
      'Sync the plan into Redis: add new threads, move changed ones, remove cancelled ones; never touch posted ones',
  },
  args: {
    dir: {
      type: 'positional',
      required: false,
      default: '.',
      description: 'campaign folder (campaign.yaml, quotes, plan.yaml)',
    },
  },
  run: ({ args }) =>
    runQueueCommand(async () => {
      const { config, log } = commandContext()
      const s = await openSession(config, log)
      try {
        const report = await syncPlan(s.q, planDeps, {
          dir: args.dir,
          clock: liveClock,
          cacheDir: config.cacheDir,
        })
        process.stdout.write(`${formatSyncReport(report).join('\n')}\n`)
        // Workers re-read the files and re-sync every few minutes from now on (one run across all of them).
        await scheduleSweep(s.q, args.dir, report.campaign, report.timezone)
        if (s.found.source === 'started')
          process.stdout.write(
            'note: this Redis was started for this command only and stops now; run `ngovoices start --live` or use a lasting Redis\n',
          )
      } finally {
        await s.close()
      }
    }),
})
