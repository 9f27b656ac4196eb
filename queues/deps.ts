import { readPlanFile } from '../src/calendar/plan-file.ts'
import { planCampaign } from '../src/calendar/planner.ts'
import type { Plan } from '../src/calendar/types.ts'
import type { Campaign } from '../src/campaign/schema.ts'
import type { Config } from '../src/config.ts'
import { createPublisher } from '../src/platforms/index.ts'
import type { Publisher, RequestGate } from '../src/platforms/publisher.ts'
import { cachedBankLoader } from '../src/quotes/bank-cache.ts'
import type { LoadedBank } from '../src/quotes/load.ts'
import type { Platform, Quote } from '../src/quotes/schema.ts'
import { type ComposeInput, composeThread } from '../src/threads/compose.ts'
import type { CardImage, ComposedThread } from '../src/threads/types.ts'
import type { Mode } from './payload.ts'
import { renderThread } from './render-thread.ts'

// @NOTE What the queues need from the rest of ngovoices, in one place: tests replace a part (e.g. a publisher
// that answers 429) without touching Redis code, and the queue code never imports a platform SDK.

export interface PlanDeps {
  loadBank(dir: string): Promise<LoadedBank>
  /** The plan file when there is one, else a fresh plan (not written: `ngovoices plan` writes plans). */
  plan(bank: LoadedBank): Promise<Plan>
}

export interface PublishDeps {
  loadBank(dir: string): Promise<LoadedBank>
  card(quote: Quote, campaign: Campaign, cacheDir: string): Promise<CardImage>
  compose(input: ComposeInput): ComposedThread
  /** One publisher per platform and mode, created once per process and reused (sessions, connections). */
  publisher(platform: Platform, mode: Mode): Promise<Publisher>
  /** The publishers created so far (for session refresh). */
  created(): Promise<Publisher[]>
  cacheDir: string
  close(): Promise<void>
}

/** One per process: the worker, its sweep and its card jobs share the last load of each bank folder. */
const loadBankOnce = cachedBankLoader()

export const planDeps: PlanDeps = {
  loadBank: loadBankOnce,
  async plan(bank) {
    return (await readPlanFile(bank.dir, bank.campaign.timezone)) ?? planCampaign(bank.campaign, bank.quotes)
  },
}

/** Which publisher a platform's jobs go to: rehearsals always to the outbox; live ones as config says. */
export function publisherName(platform: Platform, mode: Mode, config: Config): Platform | 'outbox' {
  if (mode === 'rehearsal' || config.publisher === 'outbox') return 'outbox'
  if (config.publisher === 'live' || config.publisher === platform) return platform
  return 'outbox'
}

export function publishDeps(
  config: Config,
  overrides: { outboxDir?: string; gate?: (platform: Platform) => RequestGate } = {},
): PublishDeps {
  const made = new Map<string, Promise<Publisher>>()
  const cards = renderThread()
  const cfg = overrides.outboxDir ? { ...config, outboxDir: overrides.outboxDir } : config
  return {
    loadBank: loadBankOnce,
    cacheDir: config.cacheDir,
    card: (quote, campaign, cacheDir) => cards.render(quote, campaign, cacheDir),
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
      await cards.close()
    },
  }
}
