import { DateTime } from 'luxon'
import { postNow } from '../../queues/post-now.ts'
import { ThreadChangedError } from '../../queues/publish-thread.ts'
import type { Queues } from '../../queues/queues.ts'
import { holdGate } from '../../queues/rate-hold.ts'
import { threadIdFor } from '../calendar/planner.ts'
import { type Campaign, campaignPlatforms } from '../campaign/schema.ts'
import type { Config } from '../config.ts'
import { inputError } from '../core/problem.ts'
import {
  AmbiguousError,
  isPublishError,
  PermanentError,
  RateLimitedError,
  RetryableError,
} from '../platforms/errors.ts'
import { createPublisher } from '../platforms/index.ts'
import type { Publisher } from '../platforms/publisher.ts'
import { loadBank } from '../quotes/load.ts'
import { whyNotPostableAt } from '../quotes/postable.ts'
import type { Platform, Quote } from '../quotes/schema.ts'
import { composeThread, partCounts } from '../threads/compose.ts'
import type { CardImage, ComposedThread } from '../threads/types.ts'

// @NOTE `ngovoices post`: one thread now, through the worker's posting loop with its checkpoint in Redis, but
// with no queue. A person is watching, so nothing is retried behind their back: a failure says what was posted,
// what was not and what to do, and the next `ngovoices post` of the quote goes on where this one stopped.

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

function describeThread(t: ComposedThread): string[] {
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

/** What to tell the person when a part fails, by the kind of failure. */
function advice(err: unknown, part: number): string {
  if (err instanceof AmbiguousError)
    return `part ${part} may or may not have been posted: \`ngovoices post\` again looks for it before posting it`
  if (err instanceof RateLimitedError)
    return `rate limited until ${err.until.toISOString()}: post again after that, it goes on from part ${part}`
  if (err instanceof RetryableError) return `part ${part} failed for now: try again in a minute`
  return `part ${part} was refused and will be refused again: fix the cause first`
}

export function printDryRun(o: Pick<PostOptions, 'out'>, threads: ComposedThread[]): number {
  for (const t of threads) o.out(describeThread(t).join('\n'))
  o.out('Dry run: nothing was posted.')
  return 0
}

/** Posts each thread through the worker's posting loop (queues/post-now.ts); 1 when one could not be posted. */
export async function postThreads(
  o: PostOptions & { q: Queues },
  threads: ComposedThread[],
): Promise<number> {
  const make =
    o.publisher ??
    ((name: Target) => createPublisher(name, o.config, name === 'outbox' ? undefined : holdGate(o.q, name)))
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
    for (const t of threads) if (!(await postThread(o, publisher, t))) return 1
    return 0
  } finally {
    await publisher.close()
  }
}

async function postThread(
  o: PostOptions & { q: Queues },
  publisher: Publisher,
  t: ComposedThread,
): Promise<boolean> {
  const n = t.parts.length
  let up = 0
  try {
    await postNow(o.q, t, publisher, (i, ref, earlier) => {
      up++
      o.out(`${earlier ? 'already posted' : 'posted'} ${t.platform} ${i + 1}/${n}  ${ref.url ?? ref.id}`)
    })
    return true
  } catch (err) {
    if (err instanceof ThreadChangedError) {
      o.err(`✗ ${t.platform}: ${err.message}`)
      o.err('  restore the quote in the bank as it was when that thread began, then post again to finish it')
      return false
    }
    // Only the platform's answers are the person's to act on; anything else (a TypeError…) is a bug.
    if (!isPublishError(err)) throw err
    o.err(`✗ ${t.platform} ${up + 1}/${n}: ${err.message}`)
    o.err(`  ${advice(err, up + 1)}; ${up} of ${n} parts were posted`)
    return false
  }
}
