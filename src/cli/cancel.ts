import { defineCommand } from 'citty'
import { cancelThread } from '../../queues/control.ts'
import { withSession } from '../../queues/session.ts'
import { reportThreadAction } from './args.ts'

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
      return reportThreadAction('cancel', args.thread, r.lines)
    }),
})
