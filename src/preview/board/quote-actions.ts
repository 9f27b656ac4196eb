import { resolve } from 'node:path'
import { dropQueued } from '../../../queues/board-sync.ts'
import { logChange } from '../../calendar/change-log.ts'
import { RefusedChange } from '../../calendar/plan-edit.ts'
import { threadIdFor } from '../../calendar/planner.ts'
import { type ConsentStatus, setConsentStatus } from '../../quotes/consent-edit.ts'
import { type BoardDeps, bankNow, type Done, takeEffect } from './deps.ts'

// @NOTE Consent from the page. Withdrawing stops every queued post of the quote at once: the bank file is
// written first (a worker that takes a job re-reads the bank and finds the quote withdrawn), then the sync removes
// the jobs. Approving only grants consent; the quote gets a slot at the next "Re-plan the rest".

export interface ConsentRequest {
  who: string
  quote: string
  note?: string | undefined
}

const WORDS: Record<'withdraw' | 'approve', { from: ConsentStatus[]; to: ConsentStatus; done: string }> = {
  withdraw: {
    from: ['granted', 'pending'],
    to: 'withdrawn',
    done: 'Consent withdrawn: none of its posts will go out.',
  },
  approve: {
    from: ['pending'],
    to: 'granted',
    done: 'Consent granted. "Re-plan the rest" gives it a slot.',
  },
}

export async function changeConsent(
  d: BoardDeps,
  kind: 'withdraw' | 'approve',
  r: ConsentRequest,
): Promise<Done> {
  const { campaign, quoteById } = bankNow(d)
  const model = d.live.current
  const quote = quoteById.get(r.quote)
  const where = model.locations.get(r.quote)
  if (!quote || !where)
    throw new RefusedChange(
      `Quote ${r.quote} is not in the bank, or it has an error: see Problems at the top.`,
    )
  const broken = model.problems.find((p) => p.severity === 'error' && p.file === where.file)
  if (broken)
    throw new RefusedChange(
      `${where.file} has errors (line ${broken.line}: ${broken.message}). Fix the file first, so nothing else in it changes by surprise.`,
    )
  const rule = WORDS[kind]
  const from = quote.consent.status
  if (!rule.from.includes(from)) throw new RefusedChange(`Its consent is ${from} already.`)
  await setConsentStatus(resolve(where.file), r.quote, rule.to)
  if (rule.to === 'withdrawn' && d.q) await dropQueued(d.q, campaign.id, threadIdFor(campaign, r.quote))
  await logChange(d.dir, {
    who: r.who,
    what: `${kind === 'withdraw' ? 'withdrew consent for' : 'approved'} quote ${r.quote}${r.note ? ` (${r.note})` : ''}`,
    from: `consent ${from}`,
    to: `consent ${rule.to}`,
  })
  const queue = await takeEffect(d, campaign)
  return { message: `${rule.done} ${kind === 'withdraw' ? queue : ''}`.trim() }
}
