import { defineCommand } from 'citty'

// Placeholder until its issue lands.
export default defineCommand({
  meta: { name: 'start', description: 'not available yet' },
  run() {
    process.stderr.write('ngovoices start: not available yet\n')
    process.exitCode = 2
  },
})
