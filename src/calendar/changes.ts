import type { Plan } from './types.ts'

// @NOTE What a re-plan changed, so `ngovoices plan` can say it before staff find out from the calendar.

export interface PlanChanges {
  added: string[]
  moved: { threadId: string; from: string; to: string }[]
  removed: string[]
}

export function planChanges(before: Plan | undefined, after: Plan): PlanChanges {
  const old = new Map((before?.slots ?? []).map((s) => [s.threadId, s]))
  const now = new Map(after.slots.map((s) => [s.threadId, s]))
  const changes: PlanChanges = { added: [], moved: [], removed: [] }
  for (const s of after.slots) {
    const was = old.get(s.threadId)
    if (!was) changes.added.push(s.threadId)
    else if (Date.parse(was.at) !== Date.parse(s.at))
      changes.moved.push({ threadId: s.threadId, from: was.at, to: s.at })
  }
  for (const id of old.keys()) if (!now.has(id)) changes.removed.push(id)
  return changes
}
