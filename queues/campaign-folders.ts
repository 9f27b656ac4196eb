import { resolve } from 'node:path'
import { loadCampaign } from '../src/quotes/load.ts'
import { recordKey } from './names.ts'
import type { Queues } from './queues.ts'

// @NOTE Jobs name a campaign, never a folder: whoever can add a job (a queue dashboard, a stray script) must not
// be able to make a worker read another folder and post what it finds there. A worker serves the folders it was
// started with, and the ones `schedule` synced into its namespace (recorded by the sync, not by a job).

type FolderFor = { ok: true; dir: string } | { ok: false; reason: string }

export interface CampaignFolders {
  /** The folder of `campaign` if this worker serves it, else why not. */
  folderOf(campaign: string): Promise<FolderFor>
}

/** Called by the sync: this namespace's jobs of `campaign` come from `dir`. */
export async function recordFolder(q: Queues, campaign: string, dir: string): Promise<void> {
  await q.redis.hset(recordKey(q.prefix, 'folders'), campaign, resolve(dir))
}

/**
 * The campaigns a worker serves: each folder it was started with (by its campaign id), else the folder the
 * namespace was last synced from.
 */
export function campaignFolders(q: Queues, started: readonly string[]): CampaignFolders {
  // Read once, on the first job: the commands that start workers have loaded these campaigns already.
  let own: Promise<Map<string, string>> | undefined
  const ownFolders = async () => {
    const out = new Map<string, string>()
    for (const dir of started) out.set((await loadCampaign(dir)).id, resolve(dir))
    return out
  }
  return {
    async folderOf(campaign) {
      own ??= ownFolders()
      const mine = await own
      const dir =
        mine.get(campaign) ?? (await q.redis.hget(recordKey(q.prefix, 'folders'), campaign)) ?? undefined
      if (dir) return { ok: true, dir }
      const served = [...mine.keys()]
      return {
        ok: false,
        reason: `campaign "${campaign}" is not served by this worker (${served.length ? `it serves ${served.join(', ')}` : 'it was started without a folder'}, and \`ngovoices schedule\` has not synced that campaign into this namespace)`,
      }
    },
  }
}
