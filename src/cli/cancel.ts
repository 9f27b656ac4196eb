import { defineCommand } from 'citty'
import { logInSyncedFolders } from '../../queues/change-log-folders.ts'
import { cancelThread } from '../../queues/control.ts'
import { cliUser } from '../calendar/change-log.ts'
import { reportThreadAction } from './args.ts'
import { withSession } from './context.ts'

export default defineCommand({
  meta: {
    name: 'cancel',
    description: 'Cancel a thread on every platform; it stays cancelled until `ngovoices retry`',
  },
  args: {
    thread: {
      type: 'positional',
      required: true,
      description: 'thread id (see `ngovoices status`) or quote id',
    },
    reason: { type: 'string', description: 'why, for the record (shown by status)' },
  },
  run: ({ args }) =>
    withSession(async (s) => {
      const r = await cancelThread(s.q, args.thread, args.reason ?? 'cancelled by hand')
      if (r.changed > 0)
        await logInSyncedFolders(s.q, {
          who: cliUser(),
          what: `cancelled posting of ${args.thread}${args.reason ? ` (${args.reason})` : ''}`,
          from: '',
          to: r.lines.join('; '),
        })
      return reportThreadAction('cancel', args.thread, r.lines)
    }),
})
