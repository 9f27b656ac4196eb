import { defineCommand } from 'citty'

// Placeholder until its issue lands.
export default defineCommand({
  meta: { name: 'render', description: 'not available yet' },
  run() {
    process.stderr.write('ngovoices render: not available yet\n')
    process.exitCode = 2
  },
})
