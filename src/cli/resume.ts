import { defineCommand } from 'citty'
import { resumeAll } from '../../queues/control.ts'
import { withSession } from '../../queues/session.ts'

export default defineCommand({
  meta: { name: 'resume', description: 'Let every worker post again after `ngovoices pause`' },
  run: () =>
    withSession(async (s) => {
      await resumeAll(s.q)
      process.stdout.write(
        'resumed: threads whose slot passed while paused go out now, or are missed beyond the grace period (see `ngovoices status`)\n',
      )
    }),
})
