import { defineCommand } from 'citty'
import { pauseAll } from '../../queues/control.ts'
import { withSession } from '../../queues/session.ts'

export default defineCommand({
  meta: {
    name: 'pause',
    description: 'Stop all posting now, on every worker (a running thread stops before its next part)',
  },
  run: () =>
    withSession(async (s) => {
      await pauseAll(s.q)
      process.stdout.write('paused: no worker posts until `ngovoices resume`\n')
    }),
})
