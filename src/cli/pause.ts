import { defineCommand } from 'citty'
import { logInSyncedFolders } from '../../queues/change-log-folders.ts'
import { pauseAll } from '../../queues/control.ts'
import { cliUser } from '../calendar/change-log.ts'
import { withSession } from './context.ts'

export default defineCommand({
  meta: {
    name: 'pause',
    description: 'Stop all posting now, on every worker (a running thread stops before its next part)',
  },
  run: () =>
    withSession(async (s) => {
      await pauseAll(s.q)
      await logInSyncedFolders(s.q, {
        who: cliUser(),
        what: 'paused all posting',
        from: 'running',
        to: 'paused',
      })
      process.stdout.write('paused: no worker posts until `ngovoices resume`\n')
    }),
})
