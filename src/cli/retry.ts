import { defineCommand } from 'citty'
import { retryThread } from '../../queues/control.ts'
import { runQueueCommand, withSession } from '../../queues/session.ts'

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
    runQueueCommand(() =>
      withSession(async (s) => {
        const r = await retryThread(s.q, args.thread)
        if (r.lines.length === 0) {
          process.stderr.write(
            `ngovoices retry: no thread named ${args.thread}; \`ngovoices status\` lists them\n`,
          )
          return 1
        }
        process.stdout.write(`${r.lines.join('\n')}\n`)
        return 0
      }),
    ),
})
