// @NOTE The posting worker's card renderer, in a worker thread of its own (rendering is ~100 ms of CPU, and
// 300–500 ms cold): the thread has no TypeScript loader of its own, so it registers tsx first.
import { parentPort } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
const { renderCard } = await import('../src/cards/index.ts')

parentPort?.on('message', async ({ id, quote, campaign, cacheDir }) => {
  try {
    const card = await renderCard(quote, campaign, 'landscape', { cacheDir })
    parentPort?.postMessage({ id, card })
  } catch (err) {
    parentPort?.postMessage({
      id,
      error: { name: err?.name ?? 'Error', message: String(err?.message ?? err) },
    })
  }
})
