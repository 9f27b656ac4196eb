import { UnrecoverableError } from 'bullmq'
import { CardFitError, renderCard } from '../src/cards/index.ts'
import { loadBank } from '../src/quotes/load.ts'
import { notPostable } from './desired.ts'
import type { CardJobData } from './payload.ts'

// @NOTE Runs inside a worker thread (see card-worker.mjs), so rendering (~100 ms of CPU a card) never blocks the
// posting worker's event loop. It fills the render cache; the publish job reads the card back from there.

export interface CardJobResult {
  quoteId: string
  rendered: boolean
  cached?: boolean
  key?: string
  skipped?: string
}

export async function renderCardJob(job: { data: CardJobData }): Promise<CardJobResult> {
  const { dir, quoteId, cacheDir } = job.data
  const bank = await loadBank(dir)
  const quote = bank.quotes.find((q) => q.id === quoteId)
  const why = notPostable(quote)
  if (why || !quote) return { quoteId, rendered: false, skipped: why ?? 'no quote' }
  const card = await renderCard(quote, bank.campaign, 'landscape', { cacheDir }).catch((err: unknown) => {
    // The quote cannot be drawn: trying again will not help; the publish job reports it on the thread.
    if (err instanceof CardFitError) throw new UnrecoverableError(err.message)
    throw err
  })
  return { quoteId, rendered: true, cached: card.cached, key: card.key }
}
