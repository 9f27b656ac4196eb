import { defineCommand } from 'citty'

// Placeholder until its issue lands.
export default defineCommand({
  meta: { name: 'schedule', description: 'not available yet' },
  run() {
    process.stderr.write('ngovoices schedule: not available yet\n')
    process.exitCode = 2
  },
})
