// One worker process for the lateness and memory sections: what `ngovoices worker <dir>` runs (warm the card pool
// and the composer with the bank's first quote, then serve the queues at the real times), without scheduling the reconcile sweep,
// which would re-plan the sample's 2022 week over the bench's slots. It runs the built JavaScript in dist/, as the
// product does, so its memory and start-up carry no transpiler. The environment names the Redis prefix, the
// outbox and the cache. On SIGTERM it stops, then prints its peak RSS as one JSON line. Like `ngovoices worker`, it
// first takes the lean memory settings (bin/lean-memory.mjs), before it loads the worker's modules: loading them
// grows V8's young generation, which stays grown.
import { readFileSync } from 'node:fs'
import { reexecLean } from '../bin/lean-memory.mjs'

await reexecLean()
const { openSession } = await import('../dist/queues/session.js')
const { commandContext } = await import('../dist/src/cli/context.js')
const { serveUntilStopped } = await import('../dist/src/cli/serve.js')
const dir = process.argv[2]
if (!dir) throw new Error('usage: lateness-worker.mjs <bank dir>')
const { config, log } = commandContext()
const session = await openSession(config, log)
await serveUntilStopped({ session, config, log, timezone: 'UTC', folders: [dir] })
process.stdout.write(`${JSON.stringify({ peakRssMb: peakRssMb() })}\n`)

/**
 * This process's own peak: Linux's VmHWM belongs to the address space exec gave it. getrusage's maxRSS does not:
 * the kernel carries the parent's resident size across fork and exec into it, so a worker spawned by a 400 MB
 * bench reported 363 MB whatever it did.
 */
function peakRssMb() {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (hwm?.[1]) return Number(hwm[1]) / 1024
  } catch {}
  return process.resourceUsage().maxRSS / 1024
}
