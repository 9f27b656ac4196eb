import { defineCommand } from 'citty'
import { planDeps } from '../../queues/deps.ts'
import { openSession } from '../../queues/session.ts'
import { formatSyncReport } from '../../queues/sync.ts'
import { syncLive } from '../../queues/worker.ts'
import { commandContext } from './context.ts'

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
  run: async ({ args }) => {
    const { config, log } = commandContext()
    const s = await openSession(config, log)
    try {
      const report = await syncLive(s.q, planDeps, args.dir, config.cacheDir)
      process.stdout.write(`${formatSyncReport(report).join('\n')}\n`)
      if (s.found.source === 'started')
        process.stdout.write(
          'note: this Redis was started for this command only and stops now; run `ngovoices start --live` or use a lasting Redis\n',
        )
    } finally {
      await s.close()
    }
  },
})
