import { parentPort } from 'node:worker_threads'
import sharp from 'sharp'
import { encodeCard } from './encode.ts'
import { fontsDigest } from './fonts.ts'
import { renderCard } from './index.ts'
import type { PoolMessage, PoolReply } from './render-pool.ts'
import { cardSvg } from './svg.ts'

// @NOTE The body of one card-pool thread: one card at a time (the pool hands out the next when this one is
// answered). libvips gets one thread of its own too: the pool already spreads the work over the cores.
sharp.concurrency(1)

const port = parentPort
if (!port) throw new Error('pool-thread.ts runs as a worker thread (see render-pool.ts)')
port.on('message', async ({ id, request }: PoolMessage) => {
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
})
