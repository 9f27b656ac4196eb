import { defineCommand } from 'citty'

// Placeholder until its issue lands.
export default defineCommand({
  meta: { name: 'pause', description: 'not available yet' },
  run() {
    process.stderr.write('ngovoices pause: not available yet\n')
    process.exitCode = 2
  },
})
