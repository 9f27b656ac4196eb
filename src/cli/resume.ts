import { defineCommand } from 'citty'
import { logInSyncedFolders } from '../../queues/change-log-folders.ts'
import { resumeAll } from '../../queues/control.ts'
import { cliUser } from '../calendar/change-log.ts'
import { withSession } from './context.ts'

export default defineCommand({
  meta: { name: 'resume', description: 'Let every worker post again after `ngovoices pause`' },
  run: () =>
    withSession(async (s) => {
      await resumeAll(s.q)
      await logInSyncedFolders(s.q, {
        who: cliUser(),
        what: 'resumed posting',
        from: 'paused',
        to: 'running',
      })
      process.stdout.write(
        'resumed: threads whose slot passed while paused go out now, or are missed beyond the grace period (see `ngovoices status`)\n',
      )
    }),
})
