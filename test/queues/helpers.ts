import { randomBytes } from 'node:crypto'
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Job } from 'bullmq'
import { Redis } from 'ioredis'
import { pino } from 'pino'
import { afterEach, beforeEach } from 'vitest'
import { parse, stringify } from 'yaml'
import { campaignFolders } from '../../queues/campaign-folders.ts'
import { liveClock, rehearsalClock } from '../../queues/clock.ts'
import type { PlanDeps, PublishDeps } from '../../queues/deps.ts'
import type { PublishJobData, PublishResult } from '../../queues/payload.ts'
import { obliterateAll, openQueues, type Queues } from '../../queues/queues.ts'
import { type SyncReport, syncPlan } from '../../queues/sync.ts'
import { type RunningWorkers, startWorkers } from '../../queues/worker.ts'
import type { Plan, Slot } from '../../src/calendar/types.ts'
import {
  AmbiguousError,
  PermanentError,
  RateLimitedError,
  RetryableError,
} from '../../src/platforms/errors.ts'
import type { PostContext, PostedRef, Publisher } from '../../src/platforms/publisher.ts'
import { loadBank } from '../../src/quotes/load.ts'
import type { Platform, QuoteInput } from '../../src/quotes/schema.ts'
import { composeThread } from '../../src/threads/compose.ts'
import type { ComposedThread, ThreadPart } from '../../src/threads/types.ts'
import { copyFixtureBank } from '../fixture-copy.ts'
import { REDIS_URL, testPrefix } from '../redis-namespace.ts'

export { REDIS_URL }
export const silent = pino({ level: 'silent' })

/** A namespace of its own for one test, and everything in it deleted after. */
export async function testQueues(): Promise<Queues & { drop(): Promise<void> }> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null })
  const q = openQueues(redis, testPrefix('queues'))
  return {
    ...q,
    async drop() {
      await obliterateAll(q)
      await q.close()
      redis.disconnect()
    },
  }
}

/** How to read each type of Redis value; a key of another type (or gone since) reads as null. */
const READ_VALUE = new Map<string, (redis: Redis, key: string) => Promise<unknown>>([
  ['string', (redis, key) => redis.get(key)],
  ['hash', (redis, key) => redis.hgetall(key)],
  ['list', (redis, key) => redis.lrange(key, 0, -1)],
  ['set', (redis, key) => redis.smembers(key)],
  ['zset', (redis, key) => redis.zrange(key, '0', '-1')],
  ['stream', (redis, key) => redis.xrange(key, '-', '+')],
])

/** Every key and value of a namespace as one text, to prove what Redis does not hold (secrets, say). */
export async function redisDump(prefix: string): Promise<string> {
  const redis = new Redis(REDIS_URL)
  try {
    const out: string[] = []
    // KEYS walks Redis's hash table, whose order changes when it rehashes: sort, or two equal dumps differ.
    for (const key of (await redis.keys(`${prefix}:*`)).sort()) {
      const read = READ_VALUE.get(await redis.type(key))
      const value = read ? await read(redis, key) : null
      out.push(key, JSON.stringify(value))
    }
    return out.join('\n')
  } finally {
    redis.disconnect()
  }
}

/** A copy of the ASP21 campaign in a temp folder, so a test may edit its quotes. */
export async function bankCopy(): Promise<string> {
  const dir = join('test', '.tmp', `queues-${randomBytes(5).toString('hex')}`)
  await mkdir(dir, { recursive: true })
  await copyFixtureBank('fixtures/asp21', dir)
  // Written back without YAML anchors, so each quote stands alone when a test edits it.
  await editQuotes(dir, (quotes) => quotes)
  return dir
}

export async function editQuotes(dir: string, edit: (quotes: QuoteInput[]) => QuoteInput[]): Promise<void> {
  const file = join(dir, 'quotes.yaml')
  const quotes = parse(await readFile(file, 'utf8')) as QuoteInput[]
  await writeFile(file, stringify(edit(quotes), { aliasDuplicateObjects: false }))
}

/** A plan of the given quotes at the given instants (a stand-in for planCampaign while the test edits slots). */
export function planOf(slots: { quoteId: string; at: number; platforms?: Slot['platforms'] }[]): Plan {
  return {
    campaign: 'asp21',
    timezone: 'Europe/Amsterdam',
    unplaced: [],
    slots: slots.map((s) => ({
      threadId: `asp21-${s.quoteId}`,
      quoteId: s.quoteId,
      at: new Date(s.at).toISOString(),
      day: new Date(s.at).toISOString().slice(0, 10),
      platforms: s.platforms ?? ['x'],
      locked: false,
      status: 'planned',
    })),
  }
}

export function planHolder(initial: Plan): PlanDeps & { set(p: Plan): void } {
  let plan = initial
  return {
    loadBank,
    async plan() {
      return plan
    },
    set(p) {
      plan = p
    },
  }
}

/** What the journal publisher wrote: one line per part that reached the "platform". */
export interface JournalLine {
  key: string
  threadId: string
  platform: string
  part: number
  text: string
  parent?: string
}

export async function readJournal(file: string): Promise<JournalLine[]> {
  const text = await readFile(file, 'utf8').catch(() => '')
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as JournalLine)
}

export type Fault = 'rate-limit' | 'permanent' | 'ambiguous' | 'retryable' | 'hang' | 'post-then-hang'

// Which thread each key was assigned for, across every journal publisher of this process.
const threadOfKey = new Map<string, ComposedThread>()

/**
 * A publisher that appends each part to a journal file (so a killed child process's posts stay visible) and
 * looks parts up there by key. `faults` scripts the errors a real platform gives, by call number.
 */
export function journalPublisher(
  file: string,
  opts: { faults?: Map<number, Fault>; resetMs?: number; onCall?: (n: number) => Promise<void> | void } = {},
): Publisher & { calls: number } {
  let calls = 0
  const pub = {
    name: 'outbox' as const,
    get calls() {
      return calls
    },
    assignKeys(t: ComposedThread) {
      const keys = t.parts.map(() => `k${randomBytes(6).toString('hex')}`)
      for (const k of keys) threadOfKey.set(k, t)
      return keys
    },
    async findPosted(_part: ThreadPart, ctx: PostContext): Promise<PostedRef | null> {
      const line = (await readJournal(file)).find((l) => l.key === ctx.key)
      return line ? { id: line.key, url: `journal://${line.key}` } : null
    },
    async postPart(part: ThreadPart, ctx: PostContext): Promise<PostedRef> {
      calls++
      await opts.onCall?.(calls)
      const fault = opts.faults?.get(calls)
      if (fault === 'rate-limit')
        throw new RateLimitedError('429', new Date(Date.now() + (opts.resetMs ?? 1500)))
      if (fault === 'permanent') throw new PermanentError('duplicate content')
      if (fault === 'retryable') throw new RetryableError('503')
      if (fault === 'hang') await new Promise(() => {})
      const thread = threadOfKey.get(ctx.key)
      const line: JournalLine = {
        key: ctx.key,
        threadId: thread?.threadId ?? '?',
        platform: thread?.platform ?? '?',
        part: part.index,
        text: part.text,
        ...(ctx.parent ? { parent: ctx.parent.id } : {}),
      }
      await appendFile(file, `${JSON.stringify(line)}\n`)
      // Posted, then the connection dropped: the caller cannot know.
      if (fault === 'ambiguous') throw new AmbiguousError('socket hang up after the request was sent')
      // Posted, and the worker dies before it can write the checkpoint.
      if (fault === 'post-then-hang') await new Promise(() => {})
      return { id: ctx.key, url: `journal://${ctx.key}` }
    },
    async close() {},
  }
  return pub
}

/** The real composer; a stand-in card (the render thread has its own test) so threads compose fast. */
export function publishDepsWith(publisher: Publisher): PublishDeps {
  return {
    loadBank,
    cacheDir: join('test', '.tmp', 'queues-cache'),
    async card() {
      return {
        data: new Uint8Array([137, 80, 78, 71]),
        mime: 'image/png',
        width: 1600,
        height: 900,
        alt: 'A card',
      }
    },
    compose: composeThread,
    async publisher() {
      return publisher
    },
    async created() {
      return [publisher]
    },
    async close() {},
  }
}

/** How many posts the real composer makes of a quote's thread on a platform (the test card as in publishDepsWith). */
export async function partsOf(dir: string, quoteIds: string[], platform: Platform): Promise<number> {
  const bank = await loadBank(dir)
  const deps = publishDepsWith(journalPublisher(join(dir, 'unused.jsonl')))
  let total = 0
  for (const id of quoteIds) {
    const quote = bank.quotes.find((q) => q.id === id)
    if (!quote) throw new Error(`no quote ${id} in ${dir}`)
    const card = await deps.card(quote, bank.campaign, deps.cacheDir)
    const thread = composeThread({
      quote,
      campaign: bank.campaign,
      platform,
      day: '2022-12-05',
      threadId: id,
      card,
    })
    total += thread.parts.length
  }
  return total
}

/** Bounded poll of a condition on Redis state: resolves with its value, or fails the test after `ms`. */
export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v !== undefined && v !== false) return v
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for: ${what}`)
    await new Promise((ok) => setTimeout(ok, 50))
  }
}

export async function cleanDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
}

export type TestQueues = Awaited<ReturnType<typeof testQueues>>

/**
 * Per test: a fresh namespace and a copy of the ASP21 bank, workers started through `worker()`, and all of it
 * closed and deleted after the test.
 */
export function useHarness() {
  const state: { q?: TestQueues; dir?: string } = {}
  const running: RunningWorkers[] = []
  beforeEach(async () => {
    state.q = await testQueues()
    state.dir = await bankCopy()
  })
  afterEach(async () => {
    for (const w of running.splice(0)) await w.close(true)
    await state.q?.drop()
    if (state.dir) await cleanDir(state.dir)
  })
  const h = {
    get q(): TestQueues {
      if (!state.q) throw new Error('the harness is used outside a test')
      return state.q
    },
    get dir(): string {
      if (!state.dir) throw new Error('the harness is used outside a test')
      return state.dir
    },
    get journal(): string {
      return join(h.dir, 'journal.jsonl')
    },
    worker(
      publisher: Publisher,
      opts: {
        graceMs?: number
        planDeps?: PlanDeps
        timings?: { lockDuration?: number; stalledInterval?: number; heldRetryMs?: number; settleMs?: number }
        /** Replaces the stand-ins around the publisher (e.g. the real card renderer). */
        deps?: Partial<PublishDeps>
        /** A rehearsal worker (its clock's mode) instead of a live one. */
        clock?: 'rehearsal'
      } = {},
    ): RunningWorkers {
      const w = startWorkers({
        q: h.q,
        folders: campaignFolders(h.q, [h.dir]),
        deps: { ...publishDepsWith(publisher), ...opts.deps },
        planDeps: opts.planDeps ?? planHolder(planOf([])),
        clock: opts.clock === 'rehearsal' ? rehearsalClock(Date.now(), Date.now(), 1) : liveClock,
        graceMs: opts.graceMs ?? 30 * 60_000,
        log: silent,
        cards: false,
        ...(opts.timings ? { timings: opts.timings } : {}),
      })
      running.push(w)
      return w
    },
    /** Resolves when the job reaches `states` (completed or failed by default). */
    settled(
      jobId: string,
      states: string[] = ['completed', 'failed'],
      platform: Platform = 'x',
    ): Promise<Job<PublishJobData, PublishResult>> {
      return until(`${jobId} to be ${states.join(' or ')}`, async () => {
        const job = await h.q.publish[platform].getJob(jobId)
        if (!job || !states.includes(await job.getState())) return undefined
        // Read again: the job may have reached the state between the two reads, without its result in the first.
        return h.q.publish[platform].getJob(jobId)
      })
    },
    schedule(slots: Parameters<typeof planOf>[0], opts: { retryDelayMs?: number } = {}): Promise<SyncReport> {
      return syncPlan(h.q, planHolder(planOf(slots)), {
        dir: h.dir,
        clock: liveClock,
        cacheDir: 'unused',
        ...opts,
      })
    },
  }
  return h
}
