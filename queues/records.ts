import type { Platform } from '../src/quotes/schema.ts'
import { recordKey } from './names.ts'
import type { Queues } from './queues.ts'

// @NOTE Threads a person must look at. Kept in Redis beside the jobs (not in any process), so every worker
// and every `ngovoices status` sees the same list.

export interface Unconfirmed {
  jobId: string
  threadId: string
  platform: Platform
  /** 1-based part whose outcome is unknown. */
  part: number
  reason: string
  at: number
}

export interface HandCancel {
  campaign: string
  threadId: string
  quoteId: string
  reason: string
  at: number
}

function parse<T>(raw: string): T | undefined {
  try {
    return JSON.parse(raw) as T
  } catch {
    return undefined
  }
}

export async function markUnconfirmed(q: Queues, u: Unconfirmed): Promise<void> {
  await q.redis.hset(recordKey(q.prefix, 'unconfirmed'), u.jobId, JSON.stringify(u))
}

export async function clearUnconfirmed(q: Queues, jobId: string): Promise<void> {
  await q.redis.hdel(recordKey(q.prefix, 'unconfirmed'), jobId)
}

export async function listUnconfirmed(q: Queues): Promise<Unconfirmed[]> {
  const all = await q.redis.hgetall(recordKey(q.prefix, 'unconfirmed'))
  return Object.values(all)
    .map((v) => parse<Unconfirmed>(v))
    .filter((u): u is Unconfirmed => u !== undefined)
}

/** `ngovoices cancel`: a thread cancelled by hand stays cancelled, whatever the plan file says, until retried. */
export function threadKey(campaign: string, threadId: string): string {
  return `${campaign}.${threadId}`
}

export async function cancelByHand(q: Queues, rec: Omit<HandCancel, 'at'>): Promise<void> {
  const full: HandCancel = { ...rec, at: Date.now() }
  await q.redis.hset(
    recordKey(q.prefix, 'cancelled'),
    threadKey(rec.campaign, rec.threadId),
    JSON.stringify(full),
  )
}

export async function uncancel(q: Queues, campaign: string, threadId: string): Promise<boolean> {
  return (await q.redis.hdel(recordKey(q.prefix, 'cancelled'), threadKey(campaign, threadId))) > 0
}

export async function handCancels(q: Queues): Promise<Map<string, HandCancel>> {
  return parseHandCancels(await q.redis.hgetall(recordKey(q.prefix, 'cancelled')))
}

/** The hand cancels from the record as Redis returns it (the sync reads it within a larger transaction). */
export function parseHandCancels(all: Record<string, string>): Map<string, HandCancel> {
  const out = new Map<string, HandCancel>()
  for (const [k, v] of Object.entries(all)) {
    const rec = parse<HandCancel>(v)
    if (rec) out.set(k, rec)
  }
  return out
}

export async function isCancelledByHand(q: Queues, campaign: string, threadId: string): Promise<boolean> {
  return (await q.redis.hexists(recordKey(q.prefix, 'cancelled'), threadKey(campaign, threadId))) === 1
}

/** A rehearsal's namespace says so, so that a live worker pointed at it by mistake posts nothing for real. */
export async function markRehearsalNamespace(q: Queues): Promise<void> {
  await q.redis.set(recordKey(q.prefix, 'rehearsal'), '1')
}

export async function isRehearsalNamespace(q: Queues): Promise<boolean> {
  return (await q.redis.exists(recordKey(q.prefix, 'rehearsal'))) === 1
}
