import { defineCommand } from 'citty'
import { retryThread } from '../../queues/control.ts'
import { withSession } from '../../queues/session.ts'
import { reportThreadAction } from './args.ts'

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
      return reportThreadAction('retry', args.thread, r.lines)
    }),
})
