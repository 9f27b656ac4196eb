import { defineCommand } from 'citty'

// Placeholder until its issue lands.
export default defineCommand({
  meta: { name: 'cancel', description: 'not available yet' },
  run() {
    process.stderr.write('ngovoices cancel: not available yet\n')
    process.exitCode = 2
  },
})
