import type { Logger } from 'pino'
import { postedWhy, syncIfQueued } from '../../../queues/board-sync.ts'
import type { Queues } from '../../../queues/queues.ts'
import { RefusedChange } from '../../calendar/plan-edit.ts'
import type { Slot } from '../../calendar/types.ts'
import type { Campaign } from '../../campaign/schema.ts'
import { sessionOver } from '../../campaign/session-over.ts'
import { localClock } from '../../core/time.ts'
import type { Quote } from '../../quotes/schema.ts'
import type { LiveModel } from '../live-model.ts'
import { dayLabel } from '../time.ts'

// @NOTE What every board action needs, and the steps they all end with: the page reloads for every open tab,
// and the queue takes the change at once when the week is queued.

export interface BoardDeps {
  live: LiveModel
  dir: string
  cacheDir: string
  /** The queue of this preview's namespace; undefined when Redis did not answer. */
  q?: Queues
  now: () => Date
  log?: Logger
}

/** What an action did, in words for the page. */
export interface Done {
  message: string
  /** Soft rules the change breaks, or what a re-plan moved: shown beside the thread. */
  warnings?: string[]
}

/** The request cannot be served now (no Redis, no campaign), through no fault of the request. */
export class BoardUnavailable extends Error {
  override name = 'BoardUnavailable'
}

export function bankNow(d: BoardDeps): {
  campaign: Campaign
  quotes: Quote[]
  quoteById: Map<string, Quote>
} {
  const model = d.live.current
  if (!model.campaign.ok)
    throw new BoardUnavailable(
      `The campaign cannot be read, so nothing can be changed: ${model.campaign.reason}`,
    )
  return { campaign: model.campaign.value, quotes: model.quotes, quoteById: model.quoteById }
}

/** "Now" for the planner's rules; none for a session already over, planned as a rehearsal (as `ngovoices plan` does). */
export function planningNow(campaign: Campaign, now: Date): Date | undefined {
  return sessionOver(campaign, now) ? undefined : now
}

export function queueOf(d: BoardDeps): Queues {
  if (!d.q)
    throw new BoardUnavailable(
      'The queue (Redis) is not reachable from the preview, so posting cannot be controlled from here. Start Redis and restart the preview.',
    )
  return d.q
}

/** "Tue 6 Dec 14:00", or "cancelled" for a dropped thread: the words of the change log and the messages. */
export function whereShown(slot: Slot, zone: string): string {
  const when = `${dayLabel(slot.day)} ${localClock(slot.at, zone)}`
  return slot.status === 'cancelled' ? `cancelled (${when})` : when
}

export async function refuseIfPosted(d: BoardDeps, campaign: string, threadId: string): Promise<void> {
  if (!d.q) return
  const why = await postedWhy(d.q, campaign, threadId)
  if (why) throw new RefusedChange(why)
}

/** Syncs the queue when the week is queued, reloads every open page, and says what happened to the queue. */
export async function takeEffect(d: BoardDeps, campaign: Campaign): Promise<string> {
  let said: string
  if (!d.q) said = 'The queue is not reachable: it takes the change at the next `ngovoices schedule`.'
  else {
    try {
      const report = await syncIfQueued(d.q, campaign.id, d.dir, d.cacheDir)
      said = report
        ? 'The queue has the change already.'
        : 'The week is not queued yet: `ngovoices schedule` queues it.'
    } catch (err) {
      d.log?.warn({ err }, 'board: sync failed')
      said = 'The queue could not be updated just now: the next sweep (within 5 minutes) does it.'
    }
  }
  await d.live.refresh()
  return said
}
