import { PLATFORMS, type Platform } from '../src/quotes/schema.ts'
import { recordKey } from './names.ts'
import type { Mode, PublishJobData, PublishOutcome, PublishResult } from './payload.ts'
import type { Queues } from './queues.ts'
import { type HandCancel, parseHandCancels } from './records.ts'

// @NOTE What a sync reads from Redis, in as few round trips as the work allows. BullMQ's `getJobs` reads every
// job hash twice (ids and hashes in one script, then each job again) and builds a full Job for each: 3 s for
// 10,000 jobs here. A sync needs only which ids are in which state, and three fields of each of its own jobs;
// the ids come in one transaction for both publish queues, the fields in a few script calls, and no Job
// object is built.

/** A publish job's state under the names the sync reports (BullMQ's list `wait` is "waiting"). */
export type JobState = 'waiting' | 'paused' | 'prioritized' | 'delayed' | 'active' | 'completed' | 'failed'

const STATE_KEYS: { key: string; state: JobState; list: boolean }[] = [
  { key: 'wait', state: 'waiting', list: true },
  { key: 'paused', state: 'paused', list: true },
  { key: 'prioritized', state: 'prioritized', list: false },
  { key: 'delayed', state: 'delayed', list: false },
  { key: 'active', state: 'active', list: true },
  { key: 'completed', state: 'completed', list: false },
  { key: 'failed', state: 'failed', list: false },
]

/** Every publish job id of the namespace, whatever its campaign, by platform, with its state. */
export type Membership = Record<Platform, Map<string, JobState>>

export interface ExistingJob {
  platform: Platform
  id: string
  state: JobState
  data: PublishJobData
  /** How a completed job ended. */
  outcome?: PublishOutcome
  failedReason?: string
}

/** What the sync reads before it knows whether there is anything to do: one transaction. */
export interface QuickRead {
  cancelled: Map<string, HandCancel>
  /** The record the last complete sync of this campaign left (JSON), if any. */
  synced: string | undefined
  /** The folder this namespace serves the campaign from. */
  folder: string | undefined
  membership: Membership
}

type Multi = ReturnType<Queues['redis']['multi']>

// The ids of each state list of one queue, leaving out those without a job hash: a job whose keys were deleted
// under BullMQ's feet (redis-cli, say) counts as gone, so the next sync adds it again, as it always did.
const IDS = `
local out = {}
for i = 1, #KEYS do
  local ids
  if ARGV[i + 1] == 'list' then ids = redis.call('LRANGE', KEYS[i], 0, -1) else ids = redis.call('ZRANGE', KEYS[i], 0, -1) end
  local kept = {}
  for _, id in ipairs(ids) do
    if redis.call('EXISTS', ARGV[1] .. id) == 1 then kept[#kept + 1] = id end
  end
  out[i] = kept
end
return out`

function queueRanges(multi: Multi, q: Queues): void {
  for (const p of PLATFORMS) {
    const queue = q.publish[p]
    const keys = STATE_KEYS.map(({ key }) => queue.toKey(key))
    const kinds = STATE_KEYS.map(({ list }) => (list ? 'list' : 'zset'))
    multi.eval(IDS, keys.length, ...keys, queue.toKey(''), ...kinds)
  }
}

function membershipFrom(results: unknown[]): Membership {
  const m: Membership = { x: new Map(), bluesky: new Map() }
  PLATFORMS.forEach((p, i) => {
    const lists = results[i]
    STATE_KEYS.forEach(({ state }, k) => {
      const ids = Array.isArray(lists) ? lists[k] : undefined
      // Later states win, as a job BullMQ is moving between two lists is further along in the later one.
      if (Array.isArray(ids)) for (const id of ids) if (typeof id === 'string') m[p].set(id, state)
    })
  })
  return m
}

async function exec(multi: Multi): Promise<unknown[]> {
  const replies = (await multi.exec()) ?? []
  return replies.map(([err, value]) => {
    if (err) throw err
    return value
  })
}

export async function readQuick(q: Queues, campaign: string): Promise<QuickRead> {
  const multi = q.redis
    .multi()
    .hgetall(recordKey(q.prefix, 'cancelled'))
    .hget(recordKey(q.prefix, 'synced'), campaign)
    .hget(recordKey(q.prefix, 'folders'), campaign)
  queueRanges(multi, q)
  const [cancelled, synced, folder, ...ranges] = await exec(multi)
  return {
    cancelled: parseHandCancels(isRecord(cancelled) ? cancelled : {}),
    synced: typeof synced === 'string' ? synced : undefined,
    folder: typeof folder === 'string' ? folder : undefined,
    membership: membershipFrom(ranges),
  }
}

export async function readMembership(q: Queues): Promise<Membership> {
  const multi = q.redis.multi()
  queueRanges(multi, q)
  return membershipFrom(await exec(multi))
}

/**
 * The publish jobs of `campaign` made by a sync of this mode, by id, among those `needed`. A job of an older version names its mode:
 * one of the other mode is not this sync's to change. A job gone between the two reads is simply not there.
 */
export async function readExisting(
  q: Queues,
  membership: Membership,
  campaign: string,
  mode: Mode,
  needed: (id: string, state: JobState) => boolean = () => true,
): Promise<Map<string, ExistingJob>> {
  const out = new Map<string, ExistingJob>()
  const reads: Promise<void>[] = []
  for (const platform of PLATFORMS) {
    const all = [...membership[platform]].filter(([id, state]) => needed(id, state))
    for (let i = 0; i < all.length; i += CHUNK) {
      const chunk = all.slice(i, i + CHUNK)
      reads.push(
        jobFields(
          q,
          platform,
          chunk.map(([id]) => id),
        ).then((fields) => {
          chunk.forEach(([id, state], k) => {
            const job = existingJob(platform, id, state, fields, k, campaign, mode)
            if (job) out.set(id, job)
          })
        }),
      )
    }
  }
  await Promise.all(reads)
  return out
}

/** Ids per script call: one call holds Redis for a few milliseconds, and other clients go between two. */
const CHUNK = 2000

// Three fields of each job in one reply ('' for a field or job that is not there): 3x faster here than a
// pipeline of HMGETs, whose cost is in the client, per command.
const JOB_FIELDS = `
local out = {}
for i = 1, #ARGV do
  local f = redis.call('HMGET', KEYS[1] .. ARGV[i], 'data', 'returnvalue', 'failedReason')
  out[#out + 1] = f[1] or ''
  out[#out + 1] = f[2] or ''
  out[#out + 1] = f[3] or ''
end
return out`

async function jobFields(q: Queues, platform: Platform, ids: string[]): Promise<unknown[]> {
  const reply = await q.redis.eval(JOB_FIELDS, 1, q.publish[platform].toKey(''), ...ids)
  return Array.isArray(reply) ? reply : []
}

function existingJob(
  platform: Platform,
  id: string,
  state: JobState,
  fields: unknown[],
  k: number,
  campaign: string,
  mode: Mode,
): ExistingJob | undefined {
  const [data, returnvalue, failedReason] = [fields[3 * k], fields[3 * k + 1], fields[3 * k + 2]].map((f) =>
    typeof f === 'string' && f !== '' ? f : undefined,
  )
  const parsed = data ? parseJson<PublishJobData>(data) : undefined
  if (!parsed || parsed.campaign !== campaign || (parsed.mode ?? mode) !== mode) return undefined
  const outcome = returnvalue ? parseJson<PublishResult>(returnvalue)?.outcome : undefined
  return {
    platform,
    id,
    state,
    data: parsed,
    ...(outcome ? { outcome } : {}),
    ...(failedReason ? { failedReason } : {}),
  }
}

function parseJson<T>(raw: string): T | undefined {
  try {
    return JSON.parse(raw) as T
  } catch {
    return undefined
  }
}

function isRecord(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
