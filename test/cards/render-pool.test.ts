import { mkdtemp } from 'node:fs/promises'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { afterAll, describe, expect, it } from 'vitest'
import { CardFitError } from '../../src/cards/index.ts'
import { createCardPool } from '../../src/cards/render-pool.ts'
import { loadBank } from '../../src/quotes/load.ts'
import { makeQuote, tmpDir } from './helpers.ts'

// Every caller's cards come from the process's pool: the caller's event loop stays free while a card is drawn.
describe('card pool', () => {
  const pool = createCardPool(1)
  afterAll(() => pool.close())

  it('draws a card off the main thread, then reads it back from the cache', async () => {
    const bank = await loadBank('fixtures/asp21')
    const quote = bank.quotes.find((q) => q.id === 'nur-rohingya-victim')
    if (!quote) throw new Error('fixture quote missing')
    const cacheDir = await mkdtemp(join(await tmpDir(), 'cache-'))
    // How busy this thread's event loop is while the card is drawn: per thread, so load from other processes
    // does not count, but drawing a card here would (~100% for 300–500 ms cold).
    const before = performance.eventLoopUtilization()
    const card = await pool.render({ quote, campaign: bank.campaign, format: 'landscape', cacheDir })
    expect(performance.eventLoopUtilization(before).utilization).toBeLessThan(0.3)
    expect(card.mime).toBe('image/png')
    expect([...card.data.slice(0, 4)]).toEqual([137, 80, 78, 71])
    expect({ width: card.width, height: card.height, cached: card.cached }).toEqual({
      width: 1600,
      height: 900,
      cached: false,
    })
    expect(card.alt.length).toBeGreaterThan(10)
    const again = await pool.render({ quote, campaign: bank.campaign, format: 'landscape', cacheDir })
    expect(again.cached).toBe(true)
    expect(Buffer.from(again.data).equals(Buffer.from(card.data))).toBe(true)
  })

  it('keeps a card that cannot be drawn a CardFitError across the thread, and goes on drawing', async () => {
    const bank = await loadBank('fixtures/asp21')
    const bad = makeQuote({ text: 'Justice 正義' })
    await expect(
      pool.render({ quote: bad, campaign: bank.campaign, format: 'square' }),
    ).rejects.toBeInstanceOf(CardFitError)
    // A warm-up with such a card never stops a worker from starting.
    await expect(
      pool.warm({ quote: bad, campaign: bank.campaign, format: 'square' }),
    ).resolves.toBeUndefined()
    const good = await pool.render({ quote: makeQuote(), campaign: bank.campaign, format: 'square' })
    expect({ width: good.width, height: good.height }).toEqual({ width: 1080, height: 1080 })
  })

  it('warms every thread with a sample card, then draws requests in parallel on the threads it grew to', async () => {
    const wide = createCardPool(1)
    try {
      wide.grow(2)
      const bank = await loadBank('fixtures/asp21')
      const first = bank.quotes[0]
      if (!first) throw new Error('fixture bank is empty')
      await wide.warm({ quote: first, campaign: bank.campaign, format: 'landscape' })
      expect(wide.size()).toBe(2)
      const cards = await Promise.all(
        bank.quotes
          .slice(0, 4)
          .map((quote) => wide.render({ quote, campaign: bank.campaign, format: 'portrait' })),
      )
      expect(cards.map((c) => [c.width, c.height, c.mime])).toEqual(
        Array.from({ length: 4 }, () => [1080, 1350, 'image/png']),
      )
    } finally {
      await wide.close()
    }
  })
})
