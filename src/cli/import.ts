import { defineCommand } from 'citty'

// Placeholder until its issue lands.
export default defineCommand({
  meta: { name: 'import', description: 'not available yet' },
  run() {
    process.stderr.write('ngovoices import: not available yet\n')
    process.exitCode = 2
  },
})
