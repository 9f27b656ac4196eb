import { defineCommand } from 'citty'

// Placeholder until its issue lands.
export default defineCommand({
  meta: { name: 'preview', description: 'not available yet' },
  run() {
    process.stderr.write('ngovoices preview: not available yet\n')
    process.exitCode = 2
  },
})
