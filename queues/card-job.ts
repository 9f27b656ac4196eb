import { UnrecoverableError } from 'bullmq'
import { PermanentError } from '../src/platforms/errors.ts'
import type { CampaignFolders } from './campaign-folders.ts'
import type { PublishDeps } from './deps.ts'
import { notPostable } from './desired.ts'
import { type CardJobData, failureReason } from './payload.ts'

// @NOTE Renders a thread's card ahead of its slot into the render cache; the publish job reads it back from
// there. The drawing happens in the process's render thread (deps.card), so ~100 ms of CPU a card never blocks
// the event loop that keeps the posting jobs' locks alive; the bank is the process's cached load.

export interface CardJobResult {
  quoteId: string
  rendered: boolean
  cached?: boolean
  skipped?: string
}

export async function processCardJob(
  deps: PublishDeps,
  folders: CampaignFolders,
  data: CardJobData,
): Promise<CardJobResult> {
  const { quoteId } = data
  const folder = await folders.folderOf(data.campaign)
  if (!folder.ok) throw new UnrecoverableError(failureReason('permanent', folder.reason))
  const bank = await deps.loadBank(folder.dir)
  const quote = bank.quotes.find((q) => q.id === quoteId)
  const why = notPostable(quote)
  if (why || !quote) return { quoteId, rendered: false, skipped: why ?? 'no quote' }
  const card = await deps.card(quote, bank.campaign, deps.cacheDir).catch((err: unknown) => {
    // The quote cannot be drawn: trying again will not help; the publish job reports it on the thread.
    if (err instanceof PermanentError) throw new UnrecoverableError(err.message)
    throw err
  })
  return { quoteId, rendered: true, cached: card.cached ?? false }
}
