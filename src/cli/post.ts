import { defineCommand } from 'citty'

// Placeholder until its issue lands.
export default defineCommand({
  meta: { name: 'post', description: 'not available yet' },
  run() {
    process.stderr.write('ngovoices post: not available yet\n')
    process.exitCode = 2
  },
})
