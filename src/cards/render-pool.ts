import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { Campaign } from '../campaign/schema.ts'
import { BUILT } from '../core/project-root.ts'
import { afterThreadStarted } from '../core/young-generation.ts'
import type { Quote } from '../quotes/schema.ts'
import { CardFitError } from './fit-error.ts'
import type { CardFormat, RenderedCard } from './index.ts'
import { keepRasterMemory } from './rasterise.ts'

// @NOTE The one way cards are drawn off the main thread: `render`, the preview, the card queue and the posting
// worker all share this process's pool. Drawing is CPU work (satori, resvg, zlib) that would stall an event loop
// holding job locks; each pool thread loads satori, the fonts and sharp once, so a process keeps one thread
// unless a caller asks for more (`render` asks for one per core). Idle threads do not keep a process alive.

export interface CardRequest {
  quote: Quote
  campaign: Campaign
  format: CardFormat
  /** Cache folder; when given, an unchanged card is read back instead of drawn. */
  cacheDir?: string
}

/** Messages to and from a pool thread (pool-thread.ts). */
export type PoolMessage = {
  id: number
  request: CardRequest | { warm: CardRequest | undefined }
  /** More requests were waiting when this one was handed out (the thread may put off its clean-up). */
  more: boolean
}
export type PoolReply =
  | { id: number; card: RenderedCard }
  | { id: number; warmed: true }
  | { id: number; error: { name: string; message: string } }

export interface CardPool {
  render(request: CardRequest): Promise<RenderedCard>
  /**
   * Starts every thread, reads the fonts and, given a sample card, draws it once in each idle thread (not
   * cached): a process's first real card is then a warm one (a cold card costs 300–500 ms). Never throws.
   */
  warm(sample?: CardRequest): Promise<void>
  /** Lets the pool use up to `threads` threads (never fewer than it has). */
  grow(threads: number): void
  /** Threads running now. */
  size(): number
  close(): Promise<void>
}

/** The thread's body: the built JavaScript beside this file, or through tsx when running from the sources. */
const THREAD = new URL(BUILT ? './pool-thread.js' : './pool-thread-tsx.mjs', import.meta.url)

interface Task {
  id: number
  request: PoolMessage['request']
  ok: (reply: PoolReply) => void
  fail: (err: Error) => void
}

interface Slot {
  worker: Worker
  task?: Task | undefined
}

function failure(error: { name: string; message: string }): Error {
  // A card that cannot be drawn keeps its type across the thread boundary: callers treat it as permanent.
  if (error.name === 'CardFitError') return new CardFitError(error.message)
  const err = new Error(error.message)
  err.name = error.name
  return err
}

export function createCardPool(threads = 1): CardPool {
  // Here, on the thread that starts the pool: a worker's own process.env never reaches resvg's allocator.
  keepRasterMemory()
  let max = Math.max(1, threads)
  let nextId = 0
  const slots: Slot[] = []
  const queue: Task[] = []

  const spawn = (): Slot => {
    const slot: Slot = {
      // A small young generation: satori's garbage is short-lived, and V8's default lets a thread's RSS grow
      // ~40 MB for no speed we could measure (the worker-memory section of BENCHMARKS.md).
      worker: new Worker(THREAD, {
        resourceLimits: { maxYoungGenerationSizeMb: 4 },
      }),
    }
    slot.worker.unref()
    slot.worker.once('online', afterThreadStarted)
    slot.worker.on('message', (reply: PoolReply) => {
      const task = slot.task
      slot.task = undefined
      slot.worker.unref()
      if (task && task.id === reply.id) task.ok(reply)
      pump()
    })
    const lost = (err: Error) => {
      const i = slots.indexOf(slot)
      if (i >= 0) slots.splice(i, 1)
      slot.task?.fail(err)
      slot.task = undefined
      pump()
    }
    slot.worker.on('error', lost)
    slot.worker.on('exit', (code) => lost(new Error(`card render thread exited (${code})`)))
    slots.push(slot)
    return slot
  }

  const pump = () => {
    while (queue.length > 0) {
      const slot = slots.find((s) => !s.task) ?? (slots.length < max ? spawn() : undefined)
      const task = slot && queue.shift()
      if (!slot || !task) return
      slot.task = task
      // A thread at work keeps the process alive until its card comes back.
      slot.worker.ref()
      slot.worker.postMessage({
        id: task.id,
        request: task.request,
        more: queue.length > 0,
      } satisfies PoolMessage)
    }
  }

  const submit = (request: PoolMessage['request']) =>
    new Promise<PoolReply>((ok, fail) => {
      queue.push({ id: nextId++, request, ok, fail })
      pump()
    })

  return {
    async render(request) {
      const reply = await submit(request)
      if ('error' in reply) throw failure(reply.error)
      if (!('card' in reply)) throw new Error('card render thread answered a render with no card')
      return reply.card
    },
    async warm(sample) {
      while (slots.length < max) spawn()
      // A sample that cannot be drawn still loaded the thread's modules and fonts: the warm-up never stops a
      // worker from starting (the quote's own job reports the problem).
      await Promise.all(slots.map(() => submit({ warm: sample }).catch(() => undefined)))
    },
    grow(threads) {
      max = Math.max(max, threads)
      pump()
    },
    size: () => slots.length,
    async close() {
      const closing = slots.splice(0)
      for (const task of queue.splice(0)) task.fail(new Error('card pool closed'))
      await Promise.all(closing.map((s) => s.worker.terminate()))
    },
  }
}

let shared: CardPool | undefined

/** This process's pool, made on first use; `threads` raises its size (e.g. `render` uses every core). */
export function cardPool(threads?: number): CardPool {
  shared ??= createCardPool(1)
  if (threads !== undefined) shared.grow(threads)
  return shared
}

/** One thread per core, the most a pool ever needs. */
export const CORES = availableParallelism()
