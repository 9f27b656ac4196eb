import { defineCommand } from 'citty'

// Placeholder until its issue lands.
export default defineCommand({
  meta: { name: 'resume', description: 'not available yet' },
  run() {
    process.stderr.write('ngovoices resume: not available yet\n')
    process.exitCode = 2
  },
})
