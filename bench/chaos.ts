import { parseArgs } from 'node:util'
import { formatReport, runChaos } from '../test/chaos/campaign.ts'

// npm run chaos [-- --seed N --threads N --workers N --minutes N --fault-rate R]: a fault campaign on this
// machine (see test/chaos/campaign.ts), one line of figures at the end. Loopback only; it starts its own Redis,
// PDS and fake X, and stops at the time cap whatever happens.

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: String(Date.now() % 100_000) },
    threads: { type: 'string', default: '52' },
    workers: { type: 'string', default: '3' },
    minutes: { type: 'string', default: '8' },
    'fault-rate': { type: 'string', default: '0.06' },
  },
})

function num(name: string, raw: string | undefined, min: number, max: number): number {
  const n = Number(raw)
  if (!Number.isFinite(n) || n < min || n > max) {
    process.stderr.write(`chaos: --${name} must be a number from ${min} to ${max} (got ${raw})\n`)
    process.exit(1)
  }
  return n
}

const threads = num('threads', values.threads, 1, 200)
const report = await runChaos({
  seed: num('seed', values.seed, 0, 2 ** 31),
  threads,
  workers: num('workers', values.workers, 1, 8),
  spreadMs: threads * 1500,
  killEveryMs: [8000, 18000],
  minKills: 10,
  faultRate: num('fault-rate', values['fault-rate'], 0, 0.5),
  timeoutMs: 5000,
  capMs: num('minutes', values.minutes, 1, 60) * 60_000,
  log: (line) => process.stderr.write(`${line}\n`),
})
process.stdout.write(`${formatReport(report)}\n`)
const clean = report.duplicates === 0 && report.lost === 0 && report.brokenChains === 0 && report.stray === 0
process.exitCode = clean ? 0 : 1
