import { defineCommand } from 'citty'
import { openSession } from '../../queues/session.ts'
import { scheduleSweep } from '../../queues/worker.ts'
import { sessionOver } from '../campaign/session-over.ts'
import { loadCampaign } from '../quotes/load.ts'
import { commandContext } from './context.ts'
import { serveUntilStopped } from './serve.ts'

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
  run: async ({ args }) => {
    const { config, log } = commandContext()
    const campaign = args.dir ? await loadCampaign(args.dir) : undefined
    const over = campaign ? sessionOver(campaign, new Date()) : undefined
    if (over) {
      // Not refused (a worker also serves retries), but said: new threads of a past session are only missed.
      log.warn(
        `the session of ${campaign?.id} ended on ${over}: threads the sweep adds for it will be marked missed; \`npm start\` rehearses it`,
      )
    }
    const s = await openSession(config, log)
    if (campaign) await scheduleSweep(s.q, campaign.id, campaign.timezone)
    await serveUntilStopped({
      session: s,
      config,
      log,
      timezone: campaign?.timezone ?? 'UTC',
      folders: args.dir ? [args.dir] : [],
    })
  },
})
