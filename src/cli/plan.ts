import { defineCommand } from 'citty'

// Placeholder until its issue lands.
export default defineCommand({
  meta: { name: 'plan', description: 'not available yet' },
  run() {
    process.stderr.write('ngovoices plan: not available yet\n')
    process.exitCode = 2
  },
})
