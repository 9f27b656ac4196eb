import { openSession } from '../queues/session.ts'
import { commandContext } from '../src/cli/context.ts'
import { serveUntilStopped } from '../src/cli/serve.ts'

// One worker process for the lateness section: what `ngovoices worker <dir>` runs (warm the card pool with the
// bank's first card, then serve the queues at the real times), without scheduling the reconcile sweep, which
// would re-plan the sample's 2022 week over the bench's slots. The environment names the Redis prefix, the
// outbox and the cache. On SIGTERM it stops, then prints its peak RSS as one JSON line.

const dir = process.argv[2]
if (!dir) throw new Error('usage: lateness-worker.ts <bank dir>')
const { config, log } = commandContext()
const session = await openSession(config, log)
await serveUntilStopped({ session, config, log, timezone: 'UTC', folders: [dir] })
process.stdout.write(`${JSON.stringify({ peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`)
