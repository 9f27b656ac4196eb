import { UnrecoverableError } from 'bullmq'
import { PermanentError } from '../src/platforms/errors.ts'
import { whyNotPostable } from '../src/quotes/postable.ts'
import type { CampaignFolders } from './campaign-folders.ts'
import type { PublishDeps } from './deps.ts'
import { type CardJobData, failureReason } from './payload.ts'

// @NOTE A card job fills the render cache ahead of its slot; the publish job reads the card back from there.
// It runs in the worker's own event loop: the bank comes from the process's cached load (a 10,000-quote bank is
// not parsed again per card) and the drawing happens in the process's card pool, so neither blocks job locks.
// The job names its campaign only: the folder is the worker's to know (campaign-folders.ts).

export interface CardJobResult {
  quoteId: string
  rendered: boolean
  cached?: boolean
  key?: string
  skipped?: string
}

export async function processCardJob(
  deps: Pick<PublishDeps, 'loadBank' | 'card' | 'cacheDir'>,
  folders: CampaignFolders,
  data: CardJobData,
): Promise<CardJobResult> {
  const { quoteId } = data
  const folder = await folders.folderOf(data.campaign)
  if (!folder.ok) throw new UnrecoverableError(failureReason('permanent', folder.reason))
  const bank = await deps.loadBank(folder.dir)
  const quote = bank.quotes.find((q) => q.id === quoteId)
  const why = whyNotPostable(quote)
  if (why || !quote) return { quoteId, rendered: false, skipped: why ?? 'no quote' }
  const card = await deps.card(quote, bank.campaign, deps.cacheDir).catch((err: unknown) => {
    // The quote cannot be drawn: trying again will not help; the publish job reports it on the thread.
    if (err instanceof PermanentError) throw new UnrecoverableError(err.message)
    throw err
  })
  return {
    quoteId,
    rendered: true,
    ...(card.cached !== undefined ? { cached: card.cached } : {}),
    ...(card.key !== undefined ? { key: card.key } : {}),
  }
}
