import { logChange, logPlanChanges } from '../../calendar/change-log.ts'
import { planChanges } from '../../calendar/changes.ts'
import { judgeMove } from '../../calendar/move-rules.ts'
import { changeSlot, RefusedChange, readCurrentPlan } from '../../calendar/plan-edit.ts'
import { writePlanFile } from '../../calendar/plan-file.ts'
import { planCampaign } from '../../calendar/planner.ts'
import { localClock, localDay } from '../../core/time.ts'
import { dayLabel } from '../time.ts'
import {
  type BoardDeps,
  bankNow,
  type Done,
  planningNow,
  refuseIfPosted,
  takeEffect,
  whereShown,
} from './deps.ts'

// @NOTE The plan changes of the board. Each is one thread's lines in plan.yaml (the same file and writer as
// `ngovoices plan`), checked against the version the page showed, logged, and then synced to the queue.

export interface ThreadRequest {
  who: string
  version: string
  thread: string
}

export async function moveThread(
  d: BoardDeps,
  r: ThreadRequest & { day: string; time: string },
): Promise<Done> {
  const { campaign, quotes, quoteById } = bankNow(d)
  await refuseIfPosted(d, campaign.id, r.thread)
  const now = planningNow(campaign, d.now())
  let warnings: string[] = []
  const change = await changeSlot(d.dir, campaign, quotes, r.version, r.thread, (slot, plan) => {
    if (slot.status === 'cancelled')
      throw new RefusedChange('It is cancelled: restore it first, then move it.')
    const moved = judgeMove(campaign, quoteById, plan, slot, { day: r.day, time: r.time }, now)
    warnings = moved.warnings
    return moved.slot
  })
  const zone = campaign.timezone
  await logChange(d.dir, {
    who: r.who,
    what: `moved ${change.after.threadId}`,
    from: whereShown(change.before, zone),
    to: `${whereShown(change.after, zone)}, locked`,
  })
  const queue = await takeEffect(d, campaign)
  return {
    message: `Moved to ${dayLabel(change.after.day)} ${localClock(change.after.at, zone)} and locked there. ${queue}`,
    warnings,
  }
}

export async function lockThread(d: BoardDeps, r: ThreadRequest & { locked: boolean }): Promise<Done> {
  const { campaign, quotes } = bankNow(d)
  const change = await changeSlot(d.dir, campaign, quotes, r.version, r.thread, (slot) => ({
    ...slot,
    locked: r.locked,
  }))
  await logChange(d.dir, {
    who: r.who,
    what: `${r.locked ? 'locked' : 'unlocked'} ${change.after.threadId}`,
    from: change.before.locked ? 'locked' : 'unlocked',
    to: r.locked ? 'locked' : 'unlocked',
  })
  await d.live.refresh()
  return {
    message: r.locked
      ? 'Locked: re-planning keeps it where it is.'
      : 'Unlocked: re-planning may move it if a rule asks for it.',
  }
}

export async function cancelThreadInPlan(
  d: BoardDeps,
  r: ThreadRequest & { cancelled: boolean; note?: string | undefined },
): Promise<Done> {
  const { campaign, quotes } = bankNow(d)
  if (r.cancelled) await refuseIfPosted(d, campaign.id, r.thread)
  const change = await changeSlot(d.dir, campaign, quotes, r.version, r.thread, (slot) => {
    if (slot.status === 'posted') throw new RefusedChange('It has been posted already, so it stays.')
    return { ...slot, status: r.cancelled ? 'cancelled' : 'planned' }
  })
  const zone = campaign.timezone
  await logChange(d.dir, {
    who: r.who,
    what: `${r.cancelled ? 'cancelled' : 'restored'} ${change.after.threadId}${r.note ? ` (${r.note})` : ''}`,
    from: whereShown(change.before, zone),
    to: whereShown(change.after, zone),
  })
  const queue = await takeEffect(d, campaign)
  return {
    message: r.cancelled
      ? `Cancelled: it will not be posted, and re-planning leaves it out. ${queue}`
      : `Restored at ${whereShown(change.after, zone)}. ${queue}`,
  }
}

/** Runs the planner over the rest of the week: locked and posted threads stay, the others may move. */
export async function replanRest(d: BoardDeps, r: { who: string; version: string }): Promise<Done> {
  const { campaign, quotes } = bankNow(d)
  const previous = (await readCurrentPlan(d.dir, campaign, r.version))?.plan
  const now = planningNow(campaign, d.now())
  const plan = planCampaign(campaign, quotes, previous, now ? { now } : {})
  await writePlanFile(d.dir, plan, { quotes })
  const changes = planChanges(previous, plan)
  const zone = campaign.timezone
  const shown = (at: string) => `${dayLabel(localDay(at, zone))} ${localClock(at, zone)}`
  const moved = changes.moved.map((m) => `${m.threadId}: ${shown(m.from)} → ${shown(m.to)}`)
  await logPlanChanges(d.dir, r.who, 're-planned the rest', changes, shown)
  const queue = await takeEffect(d, campaign)
  return {
    message: `Re-planned the rest: ${changes.moved.length} moved, ${changes.added.length} added, ${changes.removed.length} removed. ${queue}`,
    warnings: [...moved, ...changes.added.map((id) => `${id}: newly placed`)],
  }
}
