import { parentPort } from 'node:worker_threads'
import sharp from 'sharp'
import { encodeCard } from './encode.ts'
import { fontsDigest } from './fonts.ts'
import { fullGc } from './full-gc.ts'
import { renderCard } from './index.ts'
import { rastersDrawn } from './rasterise.ts'
import type { PoolMessage, PoolReply } from './render-pool.ts'
import { cardSvg } from './svg.ts'

// @NOTE The body of one card-pool thread: one card at a time (the pool hands out the next when this one is
// answered). libvips gets one thread of its own too: the pool already spreads the work over the cores.
sharp.concurrency(1)

const port = parentPort
if (!port) throw new Error('pool-thread.ts runs as a worker thread (see render-pool.ts)')
/** Rasters drawn since the last full collection. */
let uncollected = 0
/** In a run of requests, one collection per this many drawn cards: each costs about half a card's time. */
const COLLECT_EVERY = 8

port.on('message', async ({ id, request, more }: PoolMessage) => {
  let reply: PoolReply
  try {
    if ('warm' in request) {
      // Reads and hashes the fonts, compiles satori's and resvg's code paths; the card itself is thrown away.
      fontsDigest()
      const sample = request.warm
      if (sample) await encodeCard((await cardSvg(sample.quote, sample.campaign, sample.format)).svg)
      reply = { id, warmed: true }
    } else {
      const { quote, campaign, format, cacheDir } = request
      reply = { id, card: await renderCard(quote, campaign, format, cacheDir ? { cacheDir } : {}) }
    }
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err))
    reply = { id, error: { name: e.name, message: e.message } }
  }
  port.postMessage(reply)
  // After the answer, so no caller waits for it: frees the pixmaps of the cards just drawn (rasterise.ts). Left to
  // V8, the thread kept about one per card it drew, in resvg's mimalloc arena: 33 cards in a row peaked at 302 MB
  // RSS on Node 24 and 263 on Node 20, 225 and 204 with this (both with MALLOC_ARENA_MAX=1). A collection costs
  // this thread 20-60 ms, so a run of cards (`ngovoices render`, a sync's card jobs) collects once every
  // COLLECT_EVERY cards and at its end (collecting after every card took the bench's cards per second from 12.1
  // to 9.9); a card read back from the cache costs nothing.
  uncollected += rastersDrawn()
  if (uncollected > 0 && (!more || uncollected >= COLLECT_EVERY)) {
    fullGc()
    uncollected = 0
  }
})
