import { defineCommand } from 'citty'

// Placeholder until its issue lands.
export default defineCommand({
  meta: { name: 'retry', description: 'not available yet' },
  run() {
    process.stderr.write('ngovoices retry: not available yet\n')
    process.exitCode = 2
  },
})
