import { relative } from 'node:path'
import { planVersion } from '../calendar/plan-edit.ts'
import { readPlanSource } from '../calendar/plan-file.ts'
import { planCampaign } from '../calendar/planner.ts'
import type { Plan } from '../calendar/types.ts'
import type { Campaign } from '../campaign/schema.ts'
import { footerOverflow } from '../cards/footer.ts'
import { InputError, type Problem } from '../core/problem.ts'
import { cachedBankLoader } from '../quotes/bank-cache.ts'
import { loadBank as loadBankFiles } from '../quotes/load.ts'
import type { Quote } from '../quotes/schema.ts'

// @NOTE What the page shows, rebuilt from the files each time one of them changes. Every step can fail on
// its own (a typo in plan.yaml, a module not built yet): the failing panel says why, the others still show.

export type Available<T> = { ok: true; value: T } | { ok: false; reason: string }

export interface PlanView {
  plan: Plan
  /** `file`: plan.yaml as staff left it; `computed`: what `ngovoices plan` would write (no plan.yaml yet). */
  source: 'file' | 'computed'
  /** Fingerprint of plan.yaml as read (`none` without one): every change from the board carries it back. */
  version: string
}

export interface PreviewModel {
  dir: string
  /** Bumped on every rebuild; the client uses it to know it is current. */
  version: number
  loadedAt: Date
  campaign: Available<Campaign>
  /** Valid quotes only, in bank order. */
  quotes: Quote[]
  quoteById: Map<string, Quote>
  locations: Map<string, { file: string; line: number; col: number }>
  problems: Problem[]
  plan: Available<PlanView>
}

/** Turns any failure into the sentence shown in place of a panel. */
function unavailable(err: unknown): string {
  if (err instanceof Error && /not implemented/i.test(err.message)) return 'not available in this build yet'
  if (err instanceof InputError) return 'the input has errors: see Problems at the top of the page'
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}

export function attempt<T>(fn: () => T): Available<T> {
  try {
    return { ok: true, value: fn() }
  } catch (err) {
    return { ok: false, reason: unavailable(err) }
  }
}

async function attemptAsync<T>(fn: () => Promise<T>): Promise<Available<T>> {
  try {
    return { ok: true, value: await fn() }
  } catch (err) {
    return { ok: false, reason: unavailable(err) }
  }
}

function problemsOf(err: unknown): Problem[] {
  return err instanceof InputError ? err.problems : []
}

// @NOTE A change to plan.yaml alone (every move on the board) must reach every open page within a second: the
// bank is read again only when one of its files changed (YAML parsing is most of a rebuild).
// The footer check needs the card fonts, which the bank loader leaves to its caller.
const loadBank = cachedBankLoader((dir) => loadBankFiles(dir, { footer: footerOverflow }))

export async function buildModel(dir: string, version: number): Promise<PreviewModel> {
  const problems: Problem[] = []
  const bank = await attemptAsync(async () => {
    try {
      return await loadBank(dir)
    } catch (err) {
      problems.push(...problemsOf(err))
      throw err
    }
  })
  const quotes = bank.ok ? bank.value.quotes : []
  if (bank.ok) problems.push(...bank.value.problems)
  else if (problems.length === 0) {
    // Not a user's mistake we can point at (e.g. no campaign.yaml): still say where we looked.
    problems.push({
      file: relative(process.cwd(), dir) || '.',
      line: 0,
      col: 0,
      message: bank.reason,
      fix: 'point `ngovoices preview` at a folder with campaign.yaml and quotes.yaml',
      severity: 'error',
    })
  }
  const campaign: Available<Campaign> = bank.ok
    ? { ok: true, value: bank.value.campaign }
    : { ok: false, reason: 'the campaign could not be read: see Problems at the top of the page' }

  let plan: Available<PlanView> = { ok: false, reason: 'needs a valid campaign.yaml' }
  if (campaign.ok) {
    const c = campaign.value
    plan = await attemptAsync(async () => {
      let saved: { plan: Plan; text: string } | undefined
      try {
        saved = await readPlanSource(dir, c.timezone)
      } catch (err) {
        problems.push(...problemsOf(err))
        throw err
      }
      if (saved) return { plan: saved.plan, source: 'file' as const, version: planVersion(saved.text) }
      return { plan: planCampaign(c, quotes), source: 'computed' as const, version: planVersion(undefined) }
    })
  }
  return {
    dir,
    version,
    loadedAt: new Date(),
    campaign,
    quotes,
    quoteById: new Map(quotes.map((q) => [q.id, q])),
    locations: bank.ok ? bank.value.locations : new Map(),
    problems,
    plan,
  }
}
