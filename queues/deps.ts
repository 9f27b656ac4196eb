import { readPlanFile } from '../src/calendar/plan-file.ts'
import { planCampaign } from '../src/calendar/planner.ts'
import type { Plan } from '../src/calendar/types.ts'
import type { Campaign } from '../src/campaign/schema.ts'
import { CardFitError } from '../src/cards/fit-error.ts'
import type { RenderedCard } from '../src/cards/index.ts'
import { cardPool } from '../src/cards/render-pool.ts'
import type { Config } from '../src/config.ts'
import { PermanentError } from '../src/platforms/errors.ts'
import { createPublisher, loadPublisherCode } from '../src/platforms/index.ts'
import type { Publisher, RequestGate } from '../src/platforms/publisher.ts'
import { cachedBankLoader } from '../src/quotes/bank-cache.ts'
import { type LoadedBank, loadBank } from '../src/quotes/load.ts'
import { loadBankCached } from '../src/quotes/parse-cache.ts'
import { PLATFORMS, type Platform, type Quote } from '../src/quotes/schema.ts'
import { type ComposeInput, composeThread } from '../src/threads/compose.ts'
import type { CardImage, ComposedThread } from '../src/threads/types.ts'
import type { Mode } from './payload.ts'

// @NOTE What the queues need from the rest of ngovoices, in one place: tests replace a part (e.g. a publisher
// that answers 429) without touching Redis code, and the queue code never imports a platform SDK.

export interface PlanDeps {
  loadBank(dir: string): Promise<LoadedBank>
  /** The plan file when there is one, else a fresh plan (not written: `ngovoices plan` writes plans). */
  plan(bank: LoadedBank): Promise<Plan>
}

export interface PublishDeps {
  loadBank(dir: string): Promise<LoadedBank>
  /** The landscape card, drawn by the process's card pool (or read from the cache); PermanentError when it cannot be. */
  card(quote: Quote, campaign: Campaign, cacheDir: string): Promise<CardImage & Partial<RenderedCard>>
  compose(input: ComposeInput): ComposedThread
  /** One publisher per platform and mode, created once per process and reused (sessions, connections). */
  publisher(platform: Platform, mode: Mode): Promise<Publisher>
  /**
   * Starts the card pool and draws the first quote of `dir`'s bank once (no bank: threads and fonts only), and
   * composes that quote's thread for each platform, and loads the code of the platforms `mode` posts to, so a
   * worker's first post waits neither for a cold renderer, a cold composer nor a platform SDK still to load.
   * Stand-in cards (tests) have nothing to warm.
   */
  warm?(dir: string | undefined, mode: Mode): Promise<void>
  /** The publishers created so far (for session refresh). */
  created(): Promise<Publisher[]>
  cacheDir: string
  close(): Promise<void>
}

let parsedBanks: string | undefined

/**
 * Where this process keeps parsed banks on disk (src/quotes/parse-cache.ts): set by whatever made the process's
 * config (publishDeps, syncLive), so the shared loader below need not read the environment itself.
 */
export function keepParsedBanks(cacheDir: string): void {
  parsedBanks = cacheDir
}

/** One per process: the worker, its sweep and its card jobs share the last load of each bank folder. */
const loadBankOnce = cachedBankLoader((dir) =>
  parsedBanks ? loadBankCached(dir, parsedBanks) : loadBank(dir),
)

export const planDeps: PlanDeps = {
  loadBank: loadBankOnce,
  async plan(bank) {
    return (await readPlanFile(bank.dir, bank.campaign.timezone)) ?? planCampaign(bank.campaign, bank.quotes)
  },
}

/** A quote that cannot be drawn will not draw on the next attempt either. */
export async function poolCard(quote: Quote, campaign: Campaign, cacheDir: string): Promise<RenderedCard> {
  return cardPool()
    .render({ quote, campaign, format: 'landscape', cacheDir })
    .catch((err: unknown) => {
      throw err instanceof CardFitError ? new PermanentError(err.message, { cause: err }) : err
    })
}

/**
 * The composer's first thread in a process took 120–220 ms (its counting and segmenting code is compiled and its
 * tables built on first use; BENCHMARKS.md, post lateness), the next ones under 10: paid here, while the card
 * pool draws, not by the first post. Only the composing matters, so a stand-in card does; a quote that cannot be
 * composed has warmed the composer all the same.
 */
function warmComposer(quote: Quote, campaign: Campaign): void {
  const card: CardImage = { data: new Uint8Array(), mime: 'image/png', width: 1, height: 1, alt: 'warm-up' }
  for (const platform of PLATFORMS)
    try {
      composeThread({ quote, campaign, platform, day: '', threadId: 'warm-up', card })
    } catch {}
}

/** Which publisher a platform's jobs go to: rehearsals always to the outbox; live ones as config says. The mode
 * is the worker's own (its clock), never the job's. */
function publisherName(platform: Platform, mode: Mode, config: Config): Platform | 'outbox' {
  if (mode === 'rehearsal' || config.publisher === 'outbox') return 'outbox'
  if (config.publisher === 'live' || config.publisher === platform) return platform
  return 'outbox'
}

export function publishDeps(
  config: Config,
  overrides: { outboxDir?: string; gate?: (platform: Platform) => RequestGate } = {},
): PublishDeps {
  keepParsedBanks(config.cacheDir)
  const made = new Map<string, Promise<Publisher>>()
  const cfg = overrides.outboxDir ? { ...config, outboxDir: overrides.outboxDir } : config
  return {
    loadBank: loadBankOnce,
    cacheDir: config.cacheDir,
    card: poolCard,
    async warm(dir, mode) {
      const bank = dir ? await loadBankOnce(dir).catch(() => undefined) : undefined
      const quote = bank?.quotes[0]
      const drawn = cardPool().warm(
        quote && bank ? { quote, campaign: bank.campaign, format: 'landscape' } : undefined,
      )
      if (quote && bank) warmComposer(quote, bank.campaign)
      // The platforms' code, not their publishers: creating one may log in, which waits for a job.
      const code = PLATFORMS.map((platform) => loadPublisherCode(publisherName(platform, mode, cfg)))
      await Promise.all([drawn, ...code])
    },
    compose: composeThread,
    publisher(platform, mode) {
      const name = publisherName(platform, mode, cfg)
      let p = made.get(name)
      if (!p) {
        p = createPublisher(name, cfg, name === 'outbox' ? undefined : overrides.gate?.(name))
        made.set(name, p)
        // A failed creation (bad credentials) is not cached: the next job tries again.
        p.catch(() => made.delete(name))
      }
      return p
    },
    async created() {
      const all = await Promise.all([...made.values()].map((p) => p.catch(() => undefined)))
      return all.filter((p): p is Publisher => p !== undefined)
    },
    async close() {
      for (const p of made.values()) await (await p.catch(() => undefined))?.close()
      made.clear()
    },
  }
}
