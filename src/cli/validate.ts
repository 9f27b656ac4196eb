import { defineCommand } from 'citty'

// Placeholder until its issue lands.
export default defineCommand({
  meta: { name: 'validate', description: 'not available yet' },
  run() {
    process.stderr.write('ngovoices validate: not available yet\n')
    process.exitCode = 2
  },
})
