import { defineCommand } from 'citty'

// Placeholder until its issue lands.
export default defineCommand({
  meta: { name: 'worker', description: 'not available yet' },
  run() {
    process.stderr.write('ngovoices worker: not available yet\n')
    process.exitCode = 2
  },
})
