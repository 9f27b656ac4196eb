import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { liveClock } from '../queues/clock.ts'
import type { PlanDeps } from '../queues/deps.ts'
import { obliterateAll, openQueues } from '../queues/queues.ts'
import { type SyncReport, syncPlan } from '../queues/sync.ts'
import type { Plan } from '../src/calendar/types.ts'
import { campaignPlatforms } from '../src/campaign/schema.ts'
import type { LoadedBank } from '../src/quotes/load.ts'
import { loadBankCached } from '../src/quotes/parse-cache.ts'
import type { GeneratedBank } from './bank.ts'
import { growth } from './growth.ts'
import { count, ms, peakRssMb, timed } from './measure.ts'
import type { Section } from './report.ts'

// Sync is what `ngovoices schedule` and the reconcile sweep run: plan + bank → BullMQ jobs on the real Redis.
// Each size gets a namespace of its own (ngvbench-…), deleted after, so no live or test queue is touched.

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const MINUTE = 60_000
/** Every hundredth slot moves: the "1% of slots" a day of re-planning might touch. */
const MOVE_EVERY = 100

/** One slot a minute from a week ahead: every job is delayed, none overdue, as before a session. */
function planOf(bank: LoadedBank, start: number, moved = false): Plan {
  const { campaign } = bank
  const platforms = campaignPlatforms(campaign)
  return {
    campaign: campaign.id,
    timezone: campaign.timezone,
    unplaced: [],
    slots: bank.quotes.map((q, i) => {
      const at = new Date(start + i * MINUTE + (moved && i % MOVE_EVERY === 0 ? 5 * MINUTE : 0))
      return {
        threadId: `${campaign.id}-${q.id}`,
        quoteId: q.id,
        at: at.toISOString(),
        day: at.toISOString().slice(0, 10),
        platforms,
        locked: false,
        status: 'planned' as const,
      }
    }),
  }
}

interface SizeResult {
  first: { ms: number; value: SyncReport }
  same: { ms: number; value: SyncReport }
  move: { ms: number; value: SyncReport }
}

async function syncSize(
  redis: Redis,
  prefix: string,
  b: GeneratedBank,
  cacheDir: string,
): Promise<SizeResult> {
  // Parsed once here, so every sync below finds the parse in the cache on disk; what a cold parse costs is in
  // the load table (the first `schedule` after an edit of the bank pays it once).
  const loadBank = (dir: string) => loadBankCached(dir, cacheDir)
  const bank = await loadBank(b.dir)
  const start = Math.ceil(Date.now() / MINUTE) * MINUTE + 7 * 24 * 60 * MINUTE
  let plan = planOf(bank, start)
  // Sync reads the bank again itself through the parse cache on disk, as `ngovoices schedule` does (a new
  // process each time, so no bank is held in memory between two runs): that read is part of the figure.
  const deps: PlanDeps = { loadBank, plan: async () => plan }
  const q = openQueues(redis, prefix)
  const opts = { dir: b.dir, clock: liveClock, cacheDir }
  try {
    const first = await timed(() => syncPlan(q, deps, opts))
    const same = await timed(() => syncPlan(q, deps, opts))
    plan = planOf(bank, start, true)
    const move = await timed(() => syncPlan(q, deps, opts))
    return { first, same, move }
  } finally {
    await obliterateAll(q)
    await q.close()
  }
}

/** Issue 16's targets at 10,000 threads, in ms: first sync, nothing to change, 1% moved. */
const TARGETS = { n: 10_000, first: 5_000, same: 500, move: 1_000 }

function targets(sizes: number[], first: number[], same: number[], move: number[]): string {
  const i = sizes.indexOf(TARGETS.n)
  if (i < 0) return `No run at ${count(TARGETS.n)} threads, where the targets are set.`
  const mark = (x: number | undefined, target: number) =>
    x === undefined ? '—' : `${ms(x)} ms ${x <= target ? '✓' : '✗'} (target ≤ ${ms(target)} ms)`
  return (
    `At ${count(TARGETS.n)} threads: first sync ${mark(first[i], TARGETS.first)}, nothing to change ` +
    `${mark(same[i], TARGETS.same)}, 1% moved ${mark(move[i], TARGETS.move)}.`
  )
}

export async function syncSection(banks: GeneratedBank[], tmp: string): Promise<Section> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null })
  const prefix = `ngvbench-${randomBytes(5).toString('hex')}`
  const rows: string[][] = []
  const first: number[] = []
  const same: number[] = []
  const move: number[] = []
  try {
    for (const b of banks) {
      const r = await syncSize(redis, `${prefix}-${b.n}`, b, join(tmp, 'cache'))
      first.push(r.first.ms)
      same.push(r.same.ms)
      move.push(r.move.ms)
      rows.push([
        count(b.n),
        `${count(r.first.value.added.length)} added`,
        ms(r.first.ms),
        `${count(r.same.value.unchanged)} unchanged`,
        ms(r.same.ms),
        `${count(r.move.value.moved.length)} moved`,
        ms(r.move.ms),
        peakRssMb(),
      ])
    }
  } finally {
    redis.disconnect()
  }
  const sizes = banks.map((b) => b.n)
  return {
    title: 'Sync the plan into Redis',
    intro:
      `\`syncPlan\` on the real Redis (${REDIS_URL}, a namespace of its own, deleted after) with the generated ` +
      'bank and a plan of one thread a minute from a week ahead, on x and bluesky: the first sync (a publish job ' +
      'per thread and platform, and a card job per thread), the same sync again (nothing to change), then one ' +
      `after moving every ${MOVE_EVERY}th slot by 5 minutes. Each sync reads the bank itself through the parse ` +
      'cache on disk, as `ngovoices schedule` does, parsed once before the first sync (a cold parse is in the load ' +
      'table); one run each.',
    header: ['threads', 'first sync', 'ms', 'same again', 'ms', '1% moved', 'ms', 'peak RSS (MB)'],
    rows,
    notes: [
      targets(sizes, first, same, move),
      growth('First sync', sizes, first, 'threads'),
      growth('Sync with nothing to change', sizes, same, 'threads'),
      growth('Sync after moving 1%', sizes, move, 'threads'),
    ],
    peakRssMb: peakRssMb(),
  }
}
