import { Worker } from 'node:worker_threads'
import type { Campaign } from '../src/campaign/schema.ts'
import type { RenderedCard } from '../src/cards/index.ts'
import { PermanentError } from '../src/platforms/errors.ts'
import type { Quote } from '../src/quotes/schema.ts'

// @NOTE Cards reach the posting worker through this thread: a cache hit (the cards queue rendered it ahead of
// the slot) costs a file read there, a miss a full render, and neither blocks the event loop that keeps the
// job locks alive.

type Reply = { id: number; card?: RenderedCard; error?: { name: string; message: string } }

export interface RenderThread {
  render(quote: Quote, campaign: Campaign, cacheDir: string): Promise<RenderedCard>
  close(): Promise<void>
}

export function renderThread(): RenderThread {
  let worker: Worker | undefined
  let next = 0
  const pending = new Map<number, { ok: (c: RenderedCard) => void; fail: (e: Error) => void }>()
  const failAll = (err: Error) => {
    for (const p of pending.values()) p.fail(err)
    pending.clear()
    worker = undefined
  }
  const start = () => {
    const w = new Worker(new URL('./render-thread.mjs', import.meta.url))
    w.on('message', (m: Reply) => {
      const p = pending.get(m.id)
      if (!p) return
      pending.delete(m.id)
      if (m.card) p.ok(m.card)
      // A quote that cannot be drawn will not draw on the next attempt either.
      else if (m.error?.name === 'CardFitError') p.fail(new PermanentError(m.error.message))
      else p.fail(new Error(m.error?.message ?? 'card render failed'))
    })
    w.on('error', (err) => failAll(err))
    w.on('exit', (code) => failAll(new Error(`card render thread exited (${code})`)))
    // An idle render thread must not keep a finished command alive.
    w.unref()
    return w
  }
  return {
    render(quote, campaign, cacheDir) {
      worker ??= start()
      const w = worker
      const id = next++
      return new Promise<RenderedCard>((ok, fail) => {
        pending.set(id, { ok, fail })
        w.postMessage({ id, quote, campaign, cacheDir })
      })
    },
    async close() {
      const w = worker
      worker = undefined
      if (w) await w.terminate()
    },
  }
}
