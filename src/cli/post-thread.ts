import { DateTime } from 'luxon'
import { threadIdFor } from '../calendar/planner.ts'
import { type Campaign, campaignPlatforms } from '../campaign/schema.ts'
import type { Config } from '../config.ts'
import { inputError } from '../core/problem.ts'
import { AmbiguousError, PermanentError, RateLimitedError, RetryableError } from '../platforms/errors.ts'
import { createPublisher } from '../platforms/index.ts'
import type { PostedRef, Publisher } from '../platforms/publisher.ts'
import { loadBank } from '../quotes/load.ts'
import { whyNotPostableAt } from '../quotes/postable.ts'
import type { Platform, Quote } from '../quotes/schema.ts'
import { composeThread, partCounts } from '../threads/compose.ts'
import type { CardImage, ComposedThread } from '../threads/types.ts'

// @NOTE `ngovoices post`: one thread now, part by part, with no queue. A person is watching, so nothing is
// retried behind their back: a failure says what was posted, what was not and what to do.

export type Target = Platform | 'outbox'

export interface PostOptions {
  quoteId: string
  dir: string
  target: Target
  dryRun: boolean
  config: Config
  out: (line: string) => void
  /** Failures and what to do about them. */
  err: (line: string) => void
  /** Tests: a publisher of their own (e.g. the real X client pointed at a fake X). */
  publisher?: (name: Target) => Promise<Publisher>
}

const userError = (message: string, fix: string) => inputError('arguments', message, fix)

/** The threads to post: one for x or bluesky; for the outbox, one per platform of the campaign. */
export async function prepareThreads(o: PostOptions): Promise<ComposedThread[]> {
  const bank = await loadBank(o.dir)
  const { campaign } = bank
  const quote = bank.quotes.find((q) => q.id === o.quoteId)
  if (!quote) {
    const ids = bank.quotes.map((q) => q.id)
    throw userError(
      `no quote "${o.quoteId}" in ${o.dir}`,
      ids.length ? `use one of: ${ids.join(', ')}` : 'run `ngovoices validate` on the folder',
    )
  }
  const why = whyNotPostableAt(quote, Date.now(), campaign.timezone)
  if (why)
    throw userError(
      `${quote.id} cannot be posted: ${why}${quote.consent.status !== 'granted' && quote.consent.note ? ` (${quote.consent.note})` : ''}`,
      'only quotes with consent: granted, no `incomplete` note and no embargo still running are posted; fix the bank or wait for the embargo',
    )
  const platforms = campaignPlatforms(campaign)
  if (o.target !== 'outbox' && !platforms.includes(o.target))
    throw userError(
      `the campaign has no ${o.target} account`,
      `add platforms.${o.target}.account to campaign.yaml`,
    )
  const card = await landscapeCard(quote, campaign, o.config.cacheDir)
  const day = DateTime.now().setZone(campaign.timezone).toISODate() ?? ''
  const threadId = threadIdFor(campaign, quote.id)
  return (o.target === 'outbox' ? platforms : [o.target]).map((platform) =>
    composeThread({ quote, campaign, platform, day, threadId, card }),
  )
}

async function landscapeCard(quote: Quote, campaign: Campaign, cacheDir: string): Promise<CardImage> {
  // Loaded here: `ngovoices post --help` should not pay for satori and sharp.
  const { renderCard, CardFitError } = await import('../cards/index.ts')
  try {
    return await renderCard(quote, campaign, 'landscape', { cacheDir })
  } catch (err) {
    if (err instanceof CardFitError)
      throw userError(
        `${quote.id}: the card cannot be drawn: ${err.message}`,
        'shorten the quote or add an excerpt',
      )
    throw err
  }
}

export function describeThread(t: ComposedThread): string[] {
  const counts = partCounts(t)
  const lines = [`${t.threadId} on ${t.platform}: ${t.parts.length} posts`]
  for (const p of t.parts) {
    const c = counts[p.index]
    lines.push(
      `── ${p.index + 1}/${t.parts.length}  ${c?.count} / ${c?.limit}${p.image ? `  + image ${p.image.width}×${p.image.height}` : ''}`,
    )
    lines.push(...p.text.split('\n').map((l) => `   ${l}`))
    if (p.image) lines.push(`   [alt] ${p.image.alt}`)
  }
  return lines
}

function isPlatformError(err: unknown): err is Error {
  return (
    err instanceof AmbiguousError ||
    err instanceof RateLimitedError ||
    err instanceof RetryableError ||
    err instanceof PermanentError
  )
}

/** What to tell the person when a part fails, by the kind of failure. */
function advice(err: unknown, part: number): string {
  if (err instanceof AmbiguousError)
    return `part ${part} may or may not have been posted: look at the account before posting again`
  if (err instanceof RateLimitedError)
    return `rate limited until ${err.until.toISOString()}: post again after that (posted parts are listed above)`
  if (err instanceof RetryableError) return `part ${part} failed for now: try again in a minute`
  return `part ${part} was refused and will be refused again: fix the cause first`
}

export async function postThreads(o: PostOptions, threads: ComposedThread[]): Promise<number> {
  if (o.dryRun) {
    for (const t of threads) o.out(describeThread(t).join('\n'))
    o.out('Dry run: nothing was posted.')
    return 0
  }
  const make = o.publisher ?? ((name: Target) => createPublisher(name, o.config))
  let publisher: Publisher
  try {
    publisher = await make(o.target)
  } catch (err) {
    if (err instanceof PermanentError || err instanceof RetryableError || err instanceof RateLimitedError) {
      o.err(`ngovoices post: ${err.message}`)
      return 1
    }
    throw err
  }
  try {
    for (const t of threads) {
      const keys = publisher.assignKeys(t)
      const refs: PostedRef[] = []
      for (const part of t.parts) {
        const root = refs[0]
        const parent = refs[part.index - 1]
        try {
          const ref = await publisher.postPart(part, {
            key: keys[part.index] ?? '',
            ...(root ? { root } : {}),
            ...(parent ? { parent } : {}),
          })
          refs.push(ref)
          o.out(`posted ${t.platform} ${part.index + 1}/${t.parts.length}  ${ref.url ?? ref.id}`)
        } catch (err) {
          // Only the platform's answers are the person's to act on; anything else (a TypeError…) is a bug.
          if (!isPlatformError(err)) throw err
          o.err(`✗ ${t.platform} ${part.index + 1}/${t.parts.length}: ${err.message}`)
          o.err(`  ${advice(err, part.index + 1)}; ${refs.length} of ${t.parts.length} parts were posted`)
          return 1
        }
      }
    }
    return 0
  } finally {
    await publisher.close()
  }
}
