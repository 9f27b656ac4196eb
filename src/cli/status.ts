import { defineCommand } from 'citty'

// Placeholder until its issue lands.
export default defineCommand({
  meta: { name: 'status', description: 'not available yet' },
  run() {
    process.stderr.write('ngovoices status: not available yet\n')
    process.exitCode = 2
  },
})
