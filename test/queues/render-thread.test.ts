import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { afterEach, describe, expect, it } from 'vitest'
import { renderThread } from '../../queues/render-thread.ts'
import { loadBank } from '../../src/quotes/load.ts'
import { bankCopy, cleanDir } from './helpers.ts'

// The posting worker's cards come from a worker thread: its event loop stays free while a card renders.
describe('renderThread', () => {
  const dirs: string[] = []
  afterEach(async () => {
    for (const d of dirs.splice(0)) await cleanDir(d)
  })

  it('renders a quote card off the main thread, then reads it back from the cache', async () => {
    const dir = await bankCopy()
    dirs.push(dir)
    const cacheDir = join(dir, `cache-${randomBytes(3).toString('hex')}`)
    const bank = await loadBank(dir)
    const quote = bank.quotes.find((q) => q.id === 'nur-rohingya-victim')
    if (!quote) throw new Error('fixture quote missing')
    const thread = renderThread()
    // How busy the main thread's event loop is while the card renders: per thread, so load from other
    // processes on the machine does not count, but drawing a card here would (~100% for 270–520 ms cold).
    const before = performance.eventLoopUtilization()
    try {
      const card = await thread.render(quote, bank.campaign, cacheDir)
      const busy = performance.eventLoopUtilization(before)
      expect(busy.utilization).toBeLessThan(0.3)
      expect(card.mime).toBe('image/png')
      expect([...card.data.slice(0, 4)]).toEqual([137, 80, 78, 71])
      expect(card.width).toBe(1600)
      expect(card.alt.length).toBeGreaterThan(10)
      const again = await thread.render(quote, bank.campaign, cacheDir)
      expect((again as { cached?: boolean }).cached).toBe(true)
      expect(Buffer.from(again.data).equals(Buffer.from(card.data))).toBe(true)
    } finally {
      await thread.close()
    }
  })
})
