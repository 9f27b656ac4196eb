import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { copyFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { Redis } from 'ioredis'
import { liveClock } from '../queues/clock.ts'
import type { PlanDeps } from '../queues/deps.ts'
import type { PublishJobData } from '../queues/payload.ts'
import { obliterateAll, openQueues, publishQueueList } from '../queues/queues.ts'
import { syncPlan } from '../queues/sync.ts'
import type { Plan } from '../src/calendar/types.ts'
import { campaignPlatforms } from '../src/campaign/schema.ts'
import { loadBank } from '../src/quotes/load.ts'
import { whyNotPostable } from '../src/quotes/postable.ts'
import { count, ms, peakRssMb } from './measure.ts'
import type { Section } from './report.ts'

// How late posts go out, on the real parts: the real Redis (a prefix of its own, deleted after), two worker
// processes running the worker's code with the outbox publisher, jobs synced as `schedule` does (a card job
// ahead of each thread). 40 threads a second apart, then 20 threads due at the same instant (a burst).

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const SPREAD = 40
const BURST = 20
const WORKERS = 2
/** The first slot: long enough after the sync for the workers to be waiting, as in a real week. */
const LEAD_MS = 6_000

export interface LatenessResult {
  section: Section
  /** Peak RSS of each worker process, MB. */
  workerPeakMb: number[]
}

interface Worker {
  child: ChildProcess
  ready: Promise<void>
  peak: Promise<number>
}

function startWorker(dir: string, env: NodeJS.ProcessEnv, node: string): Worker {
  const child = spawn(node, ['bench/lateness-worker.mjs', dir], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout ?? process.stdin })
  let ready: () => void = () => {}
  let failed: (err: Error) => void = () => {}
  let peak: (mb: number) => void = () => {}
  const w: Worker = {
    child,
    ready: new Promise((ok, fail) => {
      ready = ok
      failed = fail
    }),
    peak: new Promise((ok) => {
      peak = ok
    }),
  }
  lines.on('line', (line) => {
    // The worker logs as JSON; it is ready once it says it is posting (after warming its card pool and composer).
    if (line.includes('posting at the real times')) ready()
    const m = /^\{"peakRssMb":([\d.]+)\}$/.exec(line)
    if (m) peak(Number(m[1]))
  })
  child.once('exit', (code, signal) => {
    // A worker that dies starting (a bad flag, a build error) fails the section instead of leaving it waiting.
    failed(new Error(`lateness worker exited (${code ?? signal}) before it was ready`))
    peak(Number.NaN)
  })
  return w
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN

export async function latenessSection(
  sampleDir: string,
  tmp: string,
  extraEnv: Record<string, string>,
  /** The Node that runs the workers. */
  node = process.execPath,
): Promise<LatenessResult> {
  const dir = join(tmp, 'bank')
  await mkdir(dir, { recursive: true })
  for (const f of ['campaign.yaml', 'quotes.yaml']) await copyFile(join(sampleDir, f), join(dir, f))
  const prefix = `ngvbench-late-${randomBytes(3).toString('hex')}`
  const env = {
    ...process.env,
    REDIS_URL,
    NGOVOICES_QUEUE_PREFIX: prefix,
    NGOVOICES_PUBLISHER: 'outbox',
    NGOVOICES_OUTBOX_DIR: join(tmp, 'outbox'),
    NGOVOICES_CACHE_DIR: join(tmp, 'cache'),
    ...extraEnv,
    LOG_JSON: 'true',
    LOG_LEVEL: 'info',
  }
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null })
  const q = openQueues(redis, prefix)
  const workers = Array.from({ length: WORKERS }, () => startWorker(dir, env, node))
  try {
    const started = performance.now()
    await Promise.all(workers.map((w) => w.ready))
    const startup = performance.now() - started

    const bank = await loadBank(dir)
    const quotes = bank.quotes.filter((x) => !whyNotPostable(x))
    const platforms = campaignPlatforms(bank.campaign)
    const t0 = Date.now() + LEAD_MS
    const burstAt = t0 + SPREAD * 1000 + 2000
    const slot = (i: number, at: number) => {
      const quote = quotes[i % quotes.length]
      if (!quote) throw new Error(`no postable quote in ${sampleDir}`)
      const iso = new Date(at).toISOString()
      return {
        threadId: `${bank.campaign.id}-bench-${i}`,
        quoteId: quote.id,
        at: iso,
        day: iso.slice(0, 10),
        platforms,
        locked: false,
        status: 'planned' as const,
      }
    }
    const plan: Plan = {
      campaign: bank.campaign.id,
      timezone: bank.campaign.timezone,
      unplaced: [],
      slots: [
        ...Array.from({ length: SPREAD }, (_, i) => slot(i, t0 + i * 1000)),
        ...Array.from({ length: BURST }, (_, i) => slot(SPREAD + i, burstAt)),
      ],
    }
    const deps: PlanDeps = { loadBank, plan: async () => plan }
    await syncPlan(q, deps, { dir, clock: liveClock, cacheDir: env.NGOVOICES_CACHE_DIR })
    const total = plan.slots.length * platforms.length

    // Bounded by the plan: the last slot plus a minute.
    const deadline = burstAt + 60_000
    const late: { burst: boolean; ms: number; at: number; due: number }[] = []
    for (;;) {
      // Counted while the workers post (two small replies), read once at the end: fetching every finished job
      // each time took Redis and the cores from the workers being measured.
      const finished = await Promise.all(
        publishQueueList(q).map((queue) => queue.getJobCountByTypes('completed', 'failed')),
      )
      if (finished.reduce((a, b) => a + b, 0) >= total || Date.now() > deadline) {
        const done = await Promise.all(
          publishQueueList(q).map((queue) => queue.getJobs(['completed', 'failed'])),
        )
        for (const job of done.flat()) {
          const data = job.data as PublishJobData
          const finishedOn = job.finishedOn ?? Number.NaN
          late.push({
            burst: data.dueAt === burstAt,
            ms: finishedOn - data.dueAt,
            at: finishedOn,
            due: data.dueAt,
          })
        }
        break
      }
      await new Promise((ok) => setTimeout(ok, 500))
    }
    const spread = late
      .filter((l) => !l.burst)
      .map((l) => l.ms)
      .sort((a, b) => a - b)
    const burst = late
      .filter((l) => l.burst)
      .map((l) => l.ms)
      .sort((a, b) => a - b)
    // The first slot's jobs are the first posts of the run: a cold renderer would show here.
    const firsts = late
      .filter((l) => l.due === t0)
      .map((l) => ms(l.ms))
      .join(', ')
    const ok = (x: number, target: number) => (x <= target ? `${ms(x)} ms ✓` : `${ms(x)} ms ✗`)
    for (const w of workers) w.child.kill('SIGTERM')
    const peaks = await Promise.all(workers.map((w) => w.peak))
    const section: Section = {
      title: 'Post lateness',
      intro:
        `${WORKERS} worker processes (the worker's code: card pool and composer warmed with the bank's first quote, outbox publisher, ` +
        `\`bench/lateness-worker.mjs\`) on the real Redis (${REDIS_URL}, prefix of its own, deleted after); the sample bank; ` +
        `${SPREAD} threads one second apart, then ${BURST} threads due at the same instant, each on ${platforms.join(' and ')} ` +
        `(${count(total)} posting jobs), synced as \`schedule\` does (a card job ahead of each thread). Lateness is when ` +
        "a job's whole thread was written minus its slot; one run.",
      header: ['measure', 'value', 'target'],
      rows: [
        [`spread (${spread.length} jobs): p50`, `${ms(pct(spread, 50))} ms`, '—'],
        ['spread: p95', `${ms(pct(spread, 95))} ms`, '—'],
        ['spread: p99 (each worker’s first thread included)', ok(pct(spread, 99), 150), '≤ 150 ms'],
        ['spread: max', `${ms(spread.at(-1) ?? Number.NaN)} ms`, '—'],
        ['the first slot’s jobs (the first posts of the run)', `${firsts} ms`, '—'],
        [`burst (${burst.length} jobs): p50`, `${ms(pct(burst, 50))} ms`, '—'],
        ['burst: last done after its instant', ok(burst.at(-1) ?? Number.NaN, 300), '≤ 300 ms'],
        ['jobs done / queued', `${late.length} / ${total}`, 'all'],
        ['worker start until ready (warm-up included)', `${ms(startup)} ms`, '—'],
      ],
      notes: [
        'Each worker draws its first card and composes its first thread at start (deps.warm) before it takes a job, ' +
          'so its first post finds a warm renderer and composer; the cards themselves are drawn ahead by the card ' +
          'jobs and read from the cache at the slot.',
      ],
      peakRssMb: peakRssMb(),
    }
    return { section, workerPeakMb: peaks }
  } finally {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL')
    await obliterateAll(q).catch(() => undefined)
    await q.close()
    redis.disconnect()
  }
}
