import type { ChildProcess } from 'node:child_process'
import { mkdir, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { Redis } from 'ioredis'
import { liveClock } from '../../queues/clock.ts'
import { retryThread } from '../../queues/control.ts'
import { failureKind } from '../../queues/payload.ts'
import { obliterateAll, openQueues, type Queues } from '../../queues/queues.ts'
import { syncPlan } from '../../queues/sync.ts'
import { loadBank } from '../../src/quotes/load.ts'
import { PLATFORMS, type Platform } from '../../src/quotes/schema.ts'
import { composeThread } from '../../src/threads/compose.ts'
import type { FaultKind, FaultProxy } from '../fault-proxy/proxy.ts'
import { listPosts } from '../platforms/bluesky-helpers.ts'
import { pngCard } from '../platforms/x-helpers.ts'
import { bankCopy, planHolder, planOf } from '../queues/helpers.ts'
import { startOwnRedis } from '../queues/own-redis.ts'
import { killWorker, type PlatformRig, spawnWorker, startPlatformRig } from '../queues/platform-rig.ts'
import { writeChaosBank } from './bank.ts'
import { between, seededRandom } from './random.ts'
import { type Expected, type Tally, tally } from './tally.ts'

// A fault campaign on this machine: worker processes posting real threads through fault proxies to a real PDS
// and the fake X, SIGKILLed at random, Redis killed and restarted once; then, as on-call staff would, every thread
// left failed is retried. The result is what the platforms hold, read back, against what the composer made.
// Loopback only; every loop is bounded by the time cap.

export interface ChaosOptions {
  seed: number
  threads: number
  workers: number
  /** Slots are spread over this long from the start. */
  spreadMs: number
  /** A worker is SIGKILLed (and another started) every this many ms, at random within the range. */
  killEveryMs: [number, number]
  /** At least this many kills, even if the threads finish first. */
  minKills: number
  /** Chance that a request to a platform gets a fault. */
  faultRate: number
  /** Time limit of every platform request in the workers. */
  timeoutMs: number
  /** Everything stops here, finished or not. */
  capMs: number
  /** Where the run keeps its files (the bank copy, its own Redis). */
  area?: string
  log?: (line: string) => void
}

/** What the platforms hold against what was composed (Tally), and what the run went through. */
export interface ChaosReport extends Tally {
  seed: number
  threads: number
  workers: number
  /** Threads marked unconfirmed during the run, and how many of their unknown parts had in fact landed. */
  unconfirmed: number
  unconfirmedLanded: number
  /** Threads that failed for another reason (then retried like the others). */
  failedOther: number
  kills: number
  redisRestarts: number
  faults: Partial<Record<FaultKind, number>>
  /** Requests that reached a platform's proxy inside a hold that platform had asked for with a 429. */
  requestsDuringHold: number
  /** Threads × platforms not completed when the run stopped. */
  unfinished: number
  seconds: number
}

const KINDS: FaultKind[] = [
  'rate-limit',
  'server-error',
  'server-error-after',
  'drop',
  'drop-after-commit',
  'hang',
  'hang-after-commit',
]

export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now()
  const deadline = started + o.capMs
  const log = o.log ?? (() => {})
  const random = seededRandom(o.seed)
  const dir = await bankCopy()
  const rig = await startPlatformRig(o.area ?? 'chaos')
  const redis = await startOwnRedis(join(dir, 'redis'))
  const client = new Redis(redis.url, { maxRetriesPerRequest: null })
  client.on('error', () => {})
  const q = openQueues(client, `chaos-${o.seed}`)
  // Redis is killed on purpose: the queues reconnect by themselves.
  for (const queue of [q.publish.x, q.publish.bluesky, q.cards, q.sweep]) queue.on('error', () => {})
  const workers: ChildProcess[] = []
  try {
    const ids = await writeChaosBank(dir, o.threads, random)
    const env = rig.workerEnv({
      redisUrl: redis.url,
      prefix: q.prefix,
      cacheDir: resolve(dir, 'cache'),
      timeoutMs: o.timeoutMs,
    })
    await mkdir(resolve(dir, 'cache'), { recursive: true })
    for (let i = 0; i < o.workers; i++) workers.push(await spawnWorker(env))
    const chaos = { rate: o.faultRate, kinds: KINDS, resetMs: 1500, random }
    rig.pdsProxy.chaos(chaos)
    rig.xProxy.chaos(chaos)
    // The slots start once every worker is up and the faults are on.
    const t0 = Date.now() + 1000
    const slots = ids.map((quoteId, i) => ({
      quoteId,
      at: t0 + Math.round((i * o.spreadMs) / ids.length),
      platforms: [...PLATFORMS],
    }))
    const expected = await expectedParts(dir, slots)
    await syncPlan(q, planHolder(planOf(slots)), {
      dir,
      clock: liveClock,
      cacheDir: 'unused',
      retryDelayMs: 300,
    })
    log(`chaos: ${ids.length} threads on ${PLATFORMS.join(' and ')}, ${o.workers} workers, seed ${o.seed}`)

    // Phase 1: faults, kills and one Redis restart while the threads fall due.
    let kills = 0
    let redisRestarts = 0
    const restartAt = t0 + o.spreadMs * 0.4
    let nextKill = Date.now() + between(random, ...o.killEveryMs)
    const total = ids.length * PLATFORMS.length
    while (Date.now() < deadline) {
      const settled = await countSettled(q).catch(() => -1)
      if (settled === total && kills >= o.minKills && redisRestarts > 0) break
      if (redisRestarts === 0 && Date.now() >= restartAt) {
        log('chaos: Redis killed')
        await redis.kill()
        await sleep(500)
        await redis.start()
        redisRestarts++
        log('chaos: Redis back')
      }
      if (Date.now() >= nextKill) {
        const i = Math.floor(random() * workers.length)
        const victim = workers[i]
        if (victim) {
          await killWorker(victim)
          kills++
          workers[i] = await spawnWorker(env)
        }
        nextKill = Date.now() + between(random, ...o.killEveryMs)
      }
      await sleep(200)
    }

    log(
      `chaos: phase 1 over after ${Math.round((Date.now() - started) / 1000)} s: ${rig.pdsProxy.requests.length} PDS / ${rig.xProxy.requests.length} X requests`,
    )
    // Phase 2: the faults stop; every failed thread is looked at and retried, as the on-call person would.
    rig.pdsProxy.chaos(undefined)
    rig.xProxy.chaos(undefined)
    const failed = await failedJobs(q)
    let unconfirmedLanded = 0
    const unconfirmed = failed.filter((f) => f.kind === 'unconfirmed')
    for (const f of unconfirmed) if (await landed(rig, expected, f)) unconfirmedLanded++
    for (const threadId of new Set(failed.map((f) => f.threadId))) await retryThread(q, threadId)
    while (Date.now() < deadline && (await countCompleted(q).catch(() => 0)) < total) await sleep(250)

    const unfinished = total - (await countCompleted(q).catch(() => 0))
    log(`chaos: ${rig.pdsProxy.requests.length} requests to the PDS, ${rig.xProxy.requests.length} to X`)
    const found = tally(expected, await listPosts(rig.pds.reader, rig.pds.did), rig.fakeX.tweets)
    return {
      seed: o.seed,
      threads: ids.length,
      workers: o.workers,
      ...found,
      unconfirmed: unconfirmed.length,
      unconfirmedLanded,
      failedOther: failed.length - unconfirmed.length,
      kills,
      redisRestarts,
      faults: faultCounts([rig.pdsProxy, rig.xProxy]),
      requestsDuringHold: duringHolds(rig.pdsProxy) + duringHolds(rig.xProxy),
      unfinished,
      seconds: Math.round((Date.now() - started) / 1000),
    }
  } finally {
    for (const w of workers) await killWorker(w)
    await obliterateAll(q).catch(() => {})
    await q.close().catch(() => {})
    client.disconnect()
    await redis.close()
    await rig.close()
    await rm(dir, { recursive: true, force: true })
  }
}

export function formatReport(r: ChaosReport): string {
  const faults = KINDS.map((k) => `${k} ${r.faults[k] ?? 0}`).join(', ')
  return (
    `seed ${r.seed}: ${r.threads} threads × 2 platforms, ${r.workers} workers; posts expected ${r.postsExpected}, ` +
    `found ${r.postsFound}; duplicates ${r.duplicates}, lost ${r.lost}, broken chains ${r.brokenChains}, ` +
    `stray ${r.stray}; unconfirmed ${r.unconfirmed} (landed ${r.unconfirmedLanded} / not ${r.unconfirmed - r.unconfirmedLanded}), ` +
    `other failures ${r.failedOther}, unfinished ${r.unfinished}; kills ${r.kills}, Redis restarts ${r.redisRestarts}; ` +
    `faults: ${faults}; requests during a hold ${r.requestsDuringHold}; ${r.seconds} s`
  )
}

async function expectedParts(
  dir: string,
  slots: { quoteId: string; at: number; platforms: Platform[] }[],
): Promise<Expected[]> {
  const bank = await loadBank(dir)
  const card = await pngCard('A quote card')
  const out: Expected[] = []
  for (const s of slots) {
    const quote = bank.quotes.find((q) => q.id === s.quoteId)
    if (!quote) throw new Error(`chaos: no quote ${s.quoteId}`)
    for (const platform of s.platforms) {
      const thread = composeThread({
        quote,
        campaign: bank.campaign,
        platform,
        day: new Date(s.at).toISOString().slice(0, 10),
        threadId: `asp21-${s.quoteId}`,
        card,
      })
      out.push({ threadId: thread.threadId, platform, texts: thread.parts.map((p) => p.text) })
    }
  }
  return out
}

async function countSettled(q: Queues): Promise<number> {
  let n = 0
  for (const p of PLATFORMS) {
    const c = await q.publish[p].getJobCounts('completed', 'failed')
    n += (c.completed ?? 0) + (c.failed ?? 0)
  }
  return n
}

async function countCompleted(q: Queues): Promise<number> {
  let n = 0
  for (const p of PLATFORMS) n += (await q.publish[p].getJobCounts('completed')).completed ?? 0
  return n
}

interface Failed {
  threadId: string
  platform: Platform
  kind: string
  /** The part whose outcome was unknown (0-based), for unconfirmed ones. */
  part?: number
}

async function failedJobs(q: Queues): Promise<Failed[]> {
  const out: Failed[] = []
  for (const p of PLATFORMS)
    for (const job of await q.publish[p].getJobs(['failed'])) {
      const kind = failureKind(job.failedReason)
      out.push({
        threadId: job.data.threadId,
        platform: p,
        kind,
        ...(job.data.inFlight !== undefined ? { part: job.data.inFlight } : {}),
      })
    }
  return out
}

/** Whether an unconfirmed part is on the platform (read from the platform, before anyone retries it). */
async function landed(rig: PlatformRig, expected: Expected[], f: Failed): Promise<boolean> {
  const text = expected.find((e) => e.threadId === f.threadId && e.platform === f.platform)?.texts[
    f.part ?? 0
  ]
  if (text === undefined) return false
  if (f.platform === 'x') return rig.fakeX.tweets.some((t) => t.text === text)
  const posts = await listPosts(rig.pds.reader, rig.pds.did)
  return posts.some((p) => p.value.text === text)
}

function faultCounts(proxies: FaultProxy[]): Partial<Record<FaultKind, number>> {
  const out: Partial<Record<FaultKind, number>> = {}
  for (const p of proxies) for (const r of p.requests) if (r.fault) out[r.fault] = (out[r.fault] ?? 0) + 1
  return out
}

/** Requests that arrived after a 429 and before the reset it gave. */
function duringHolds(proxy: FaultProxy): number {
  const holds = proxy.requests.filter((r) => r.fault === 'rate-limit' && r.resetAt !== undefined)
  return proxy.requests.filter((r) => holds.some((h) => r !== h && r.at > h.at && r.at < (h.resetAt ?? 0)))
    .length
}

function sleep(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms))
}
