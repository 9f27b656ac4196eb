import { defineCommand } from 'citty'
import { formatStatus, gatherStatus } from '../../queues/status.ts'
import { withSession } from './context.ts'

export default defineCommand({
  meta: {
    name: 'status',
    description: 'Posted, queued, failed and unconfirmed threads, each with its next action',
  },
  args: { json: { type: 'boolean', default: false, description: 'print JSON instead of text' } },
  run: ({ args }) =>
    withSession(async (s) => {
      const report = await gatherStatus(s.q)
      process.stdout.write(
        args.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatStatus(report).join('\n')}\n`,
      )
    }),
})
