import type { Plan } from '../src/calendar/types.ts'
import { campaignPlatforms } from '../src/campaign/schema.ts'
import { formatProblem } from '../src/core/problem.ts'
import type { LoadedBank } from '../src/quotes/load.ts'
import { whyNotPostableAt } from '../src/quotes/postable.ts'
import type { Platform } from '../src/quotes/schema.ts'
import type { Clock } from './clock.ts'
import { publishJobId } from './names.ts'
import type { PublishJobData } from './payload.ts'

// @NOTE Pure: which publish jobs the plan asks for right now. Redis is not touched here.

export interface DesiredJob {
  jobId: string
  data: PublishJobData
}

export interface Skipped {
  threadId: string
  quoteId: string
  reason: string
}

/**
 * For a quote missing from the loaded bank, why it may only be unreadable for now; undefined when it is really
 * gone (or is in the bank).
 * @NOTE Staff edit the bank during the week: a YAML typo in quotes.yaml, a file saved in the wrong encoding or a
 * bad value in one entry must not read as "these quotes were removed" (their posts cancelled, their slots passing
 * by). Such threads are held until the file is fixed; only a quote absent from a bank that reads cleanly is gone.
 */
export function heldBy(bank: LoadedBank): (quoteId: string) => string | undefined {
  const inBank = new Set(bank.quotes.map((q) => q.id))
  const byQuote = new Map<string, string>()
  let anyFile: string | undefined
  for (const p of bank.problems) {
    if (p.severity !== 'error') continue
    if (p.quoteId === undefined) anyFile ??= formatProblem(p)
    else if (!byQuote.has(p.quoteId)) byQuote.set(p.quoteId, formatProblem(p))
  }
  return (quoteId) => (inBank.has(quoteId) ? undefined : (byQuote.get(quoteId) ?? anyFile))
}

export function desiredJobs(
  bank: LoadedBank,
  plan: Plan,
  clock: Clock,
  handCancelled: (threadId: string) => boolean,
): { jobs: DesiredJob[]; skipped: Skipped[]; held: Skipped[]; posted: Set<string> } {
  const { campaign } = bank
  const quotes = new Map(bank.quotes.map((q) => [q.id, q]))
  const platforms = new Set<Platform>(campaignPlatforms(campaign))
  const jobs: DesiredJob[] = []
  const skipped: Skipped[] = []
  const held: Skipped[] = []
  const posted = new Set<string>()
  const unreadable = heldBy(bank)
  for (const slot of plan.slots) {
    if (slot.status === 'posted') {
      posted.add(slot.threadId)
      continue
    }
    const why =
      slot.status === 'cancelled'
        ? 'cancelled in the plan'
        : handCancelled(slot.threadId)
          ? 'cancelled by hand (ngovoices cancel)'
          : whyNotPostableAt(quotes.get(slot.quoteId), Date.parse(slot.at), campaign.timezone)
    const unread = unreadable(slot.quoteId)
    if (why && unread && slot.status !== 'cancelled') {
      held.push({ threadId: slot.threadId, quoteId: slot.quoteId, reason: unread })
      continue
    }
    if (why) {
      skipped.push({ threadId: slot.threadId, quoteId: slot.quoteId, reason: why })
      continue
    }
    for (const platform of slot.platforms) {
      if (!platforms.has(platform)) continue
      jobs.push({
        jobId: publishJobId(campaign.id, slot.threadId, platform),
        data: {
          v: 1,
          campaign: campaign.id,
          tz: campaign.timezone,
          threadId: slot.threadId,
          quoteId: slot.quoteId,
          platform,
          at: slot.at,
          day: slot.day,
          dueAt: clock.dueAt(slot.at),
          posted: [],
        },
      })
    }
  }
  return { jobs, skipped, held, posted }
}
