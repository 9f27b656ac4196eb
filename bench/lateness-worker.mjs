// One worker process for the lateness and memory sections: what `ngovoices worker <dir>` runs (warm the card pool
// with the bank's first card, then serve the queues at the real times), without scheduling the reconcile sweep,
// which would re-plan the sample's 2022 week over the bench's slots. It runs the built JavaScript in dist/, as the
// product does, so its memory and start-up carry no transpiler. The environment names the Redis prefix, the
// outbox and the cache. On SIGTERM it stops, then prints its peak RSS as one JSON line.
import { openSession } from '../dist/queues/session.js'
import { commandContext } from '../dist/src/cli/context.js'
import { serveUntilStopped } from '../dist/src/cli/serve.js'

const dir = process.argv[2]
if (!dir) throw new Error('usage: lateness-worker.mjs <bank dir>')
const { config, log } = commandContext()
const session = await openSession(config, log)
await serveUntilStopped({ session, config, log, timezone: 'UTC', folders: [dir] })
process.stdout.write(`${JSON.stringify({ peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`)
