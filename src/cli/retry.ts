import { defineCommand } from 'citty'
import { logInSyncedFolders } from '../../queues/change-log-folders.ts'
import { retryThread } from '../../queues/control.ts'
import { cliUser } from '../calendar/change-log.ts'
import { reportThreadAction } from './args.ts'
import { withSession } from './context.ts'

export default defineCommand({
  meta: {
    name: 'retry',
    description: 'Queue a failed, missed or unconfirmed thread again (it looks before re-posting a part)',
  },
  args: {
    thread: {
      type: 'positional',
      required: true,
      description: 'thread id (see `ngovoices status`) or quote id',
    },
  },
  run: ({ args }) =>
    withSession(async (s) => {
      const r = await retryThread(s.q, args.thread)
      if (r.changed > 0)
        await logInSyncedFolders(s.q, {
          who: cliUser(),
          what: `retried ${args.thread}`,
          from: '',
          to: r.lines.join('; '),
        })
      return reportThreadAction('retry', args.thread, r.lines)
    }),
})
