import type { Platform } from '../src/quotes/schema.ts'

// @NOTE One publish queue per platform, so a 429 from X (queue.rateLimit holds a whole queue) never holds
// Bluesky posts back. Job ids are derived from campaign + thread + platform: re-syncing never duplicates.
// BullMQ forbids ':' in job ids; our ids are slugs joined by '.', which slugs never contain.

export const PUBLISH_QUEUES: Record<Platform, string> = { x: 'publish-x', bluesky: 'publish-bluesky' }
export const CARDS_QUEUE = 'cards'
export const SWEEP_QUEUE = 'sweep'

export function publishJobId(campaign: string, threadId: string, platform: Platform): string {
  return `${campaign}.${threadId}.${platform}`
}

export function cardJobId(campaign: string, threadId: string): string {
  return `${campaign}.${threadId}.card`
}

export function sweepSchedulerId(campaign: string): string {
  return `reconcile.${campaign}`
}

/**
 * Keys of our own records beside BullMQ's under the same prefix: threads a person must look at (unconfirmed,
 * cancelled), the campaign folders the namespace was synced from, the mark of a rehearsal namespace, and what
 * the last complete sync of each campaign left behind (synced, synced-jobs, sync-gen: queues/sync-fingerprint.ts).
 */
export function recordKey(
  prefix: string,
  kind: 'unconfirmed' | 'cancelled' | 'folders' | 'rehearsal' | 'synced' | 'synced-jobs' | 'sync-gen',
): string {
  return `${prefix}:ngovoices:${kind}`
}
