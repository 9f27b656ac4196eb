import { type Change, logChange } from '../src/calendar/change-log.ts'
import { recordKey } from './names.ts'
import type { Queues } from './queues.ts'

// @NOTE `pause`, `resume`, `retry` and `cancel` name no folder: their change is logged beside the plan of every
// campaign this namespace was synced from (the folders `schedule` records), so the page shows it as well.

export async function logInSyncedFolders(q: Queues, change: Omit<Change, 'at'>): Promise<void> {
  const folders = await q.redis.hgetall(recordKey(q.prefix, 'folders'))
  for (const dir of new Set(Object.values(folders))) {
    // A folder that moved away since it was synced has no plan to log beside: the command itself still worked.
    await logChange(dir, change).catch(() => undefined)
  }
}
