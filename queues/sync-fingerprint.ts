import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import { formatProblem } from '../src/core/problem.ts'
import type { LoadedBank } from '../src/quotes/load.ts'
import { PLATFORMS } from '../src/quotes/schema.ts'
import type { DesiredJob, Skipped } from './desired.ts'
import { recordKey } from './names.ts'
import type { Mode } from './payload.ts'
import type { Queues } from './queues.ts'
import type { JobState, Membership, QuickRead } from './sync-read.ts'

// @NOTE "Nothing changed" must mean that a full sync would change nothing, so the fingerprint covers what a full
// sync decides from, not the files it came from:
// - Its inputs as the sync sees them: the publish jobs the plan asks for now (ids, slots, due instants: the
//   plan, the bank's consent, embargoes and "incomplete" marks, the hand cancels read from Redis, and the clock,
//   which is how a rehearsal's compressed times count), the threads skipped or held and why, and the bank's
//   errors and quote ids (they decide whether a job that left the plan is removed or held). A change of a
//   quote's text or a card option is not in it: jobs carry ids only, and the worker reads the bank itself.
// - What Redis holds: every publish job id of the namespace that still has its job hash, with its state, where
//   the queued states count as one (BullMQ moves a job from delayed to waiting on its own and the sync treats
//   both alike). A job removed by hand (a dashboard, or its key deleted), cancelled or finished by a worker,
//   retried, taken by a worker (active, locked) or failed is a different set, so the next sync is a full one: it
//   puts back a job deleted by hand, as it always did. The folder the namespace serves the campaign from is
//   compared too (another folder of the same campaign synced meanwhile).
// - Not the clock: a full sync's decisions for the same jobs in the same states do not depend on the time (a
//   slot that passed is the worker's to mark missed; a cancelled job is revived only while its slot is ahead,
//   which time can only make false, and the job left its state when the last sync revived it). Not pause: a
//   paused queue takes the same jobs. Not the job payloads themselves: only a sync writes `at` and `dueAt`.
// The record is dropped before a sync writes anything and stored only by a sync that ran alone from start to end
// (`sync-gen`, a counter every full sync bumps at both ends): two syncs of different plans at once (the sweep
// and a move on the board, then an undo) could otherwise leave a record true of neither.

/** Bump when the sync's decisions change, so that records written by an older version never match. */
const VERSION = 1

/** What a sync with nothing to do reports, stored with the record for the syncs that skip the work. */
export interface Steady {
  unchanged: number
  kept: { jobId: string; state: string }[]
  /** Threads held through a job that left the plan (the rest comes from the plan each time). */
  held: Skipped[]
}

export interface SyncRecord {
  inputs: string
  jobs: string
  steady: Steady
}

export function inputsFingerprint(
  bank: LoadedBank,
  dir: string,
  mode: Mode,
  desired: { jobs: DesiredJob[]; skipped: Skipped[]; held: Skipped[] },
  lines: string[],
): string {
  const errors = bank.problems.filter((p) => p.severity === 'error').map((p) => [p.quoteId, formatProblem(p)])
  const h = createHash('sha256').update(
    JSON.stringify({
      v: VERSION,
      campaign: bank.campaign.id,
      dir: resolve(dir),
      mode,
      skipped: desired.skipped,
      held: desired.held,
      errors,
    }),
  )
  // Fields in lines rather than one JSON text of the jobs: a third of the time at 20,000 jobs. Every field of
  // the payload is here, so a field added to it must be added here too (the test in test/queues/sync.test.ts
  // fails when it is not).
  h.update(lines.join('\n'))
    .update('\nquotes\n')
    .update(bank.quotes.map((q) => q.id).join('\n'))
  return h.digest('hex')
}

/** One publish job as the plan asks for it, starting with its id and a tab. */
function jobLine({ jobId, data: d }: DesiredJob): string {
  return `${jobId}\t${d.v}\t${d.campaign}\t${d.tz}\t${d.threadId}\t${d.quoteId}\t${d.platform}\t${d.at}\t${d.day}\t${d.dueAt}\t${d.posted.length}`
}

/**
 * The line of each job, in order: what `lines` holds below. @NOTE Made once per sync and handed to the
 * fingerprint, `asLeft` and `endSync`, which each made all 20,000 again at 10,000 threads.
 */
export const jobLines = (jobs: DesiredJob[]): string[] => jobs.map(jobLine)

/** The payload fields the fingerprint covers, for the test that keeps the list whole. */
export const FINGERPRINTED_FIELDS = [
  'v',
  'campaign',
  'tz',
  'threadId',
  'quoteId',
  'platform',
  'at',
  'day',
  'dueAt',
  'posted',
]

const standing = (s: JobState) => (s === 'active' || s === 'completed' || s === 'failed' ? s : 'queued')

export function membershipDigest(m: Membership): string {
  const lines: string[] = []
  for (const p of PLATFORMS) for (const [id, s] of m[p]) lines.push(`${p}\t${id}\t${standing(s)}`)
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex')
}

/** The steady report stored by the last sync, when nothing changed since it (else undefined: a full sync). */
export function unchangedSince(read: QuickRead, inputs: string, dir: string): Steady | undefined {
  if (!read.synced || read.folder !== resolve(dir)) return undefined
  const rec = parseRecord(read.synced)
  return rec?.inputs === inputs && rec.jobs === membershipDigest(read.membership) ? rec.steady : undefined
}

/** What the last complete sync left: its record, and the line of each job the plan asked for then. */
export interface LastSync {
  record: SyncRecord
  lines: Map<string, string>
}

/**
 * Before a full sync reads or writes a job: its generation, and no record left that its writes could falsify.
 * Returns the record it dropped, read in the same transaction.
 */
export async function beginSync(q: Queues, campaign: string): Promise<{ gen: number; last?: LastSync }> {
  const synced = recordKey(q.prefix, 'synced')
  const jobs = recordKey(q.prefix, 'synced-jobs')
  const replies = await q.redis
    .multi()
    .hget(synced, campaign)
    .hget(jobs, campaign)
    .hincrby(recordKey(q.prefix, 'sync-gen'), campaign, 1)
    .hdel(synced, campaign)
    .hdel(jobs, campaign)
    .exec()
  const [rec, lines, gen] = (replies ?? []).map(([err, v]) => {
    if (err) throw err
    return v
  })
  const record = typeof rec === 'string' ? parseRecord(rec) : undefined
  if (!record || typeof lines !== 'string') return { gen: Number(gen) }
  const byId = new Map<string, string>()
  for (const line of lines.split('\n')) byId.set(line.slice(0, line.indexOf('\t')), line)
  return { gen: Number(gen), last: { record, lines: byId } }
}

/**
 * The wanted jobs that are as the last sync left them, so need not be read: the namespace holds the same jobs
 * in the same states as that sync left (so no one else removed, re-added or ran them, and their data is what
 * a sync wrote), the plan asks the same of them, and that sync did not have to leave them as they were.
 */
export function asLeft(
  last: LastSync | undefined,
  now: Membership,
  desired: DesiredJob[],
  lines: string[],
): Set<string> {
  const known = new Set<string>()
  if (!last || last.record.jobs !== membershipDigest(now)) return known
  const kept = new Set(last.record.steady.kept.map((k) => k.jobId))
  desired.forEach((d, i) => {
    if (!kept.has(d.jobId) && now[d.data.platform].has(d.jobId) && last.lines.get(d.jobId) === lines[i])
      known.add(d.jobId)
  })
  return known
}

function parseRecord(raw: string): SyncRecord | undefined {
  try {
    return JSON.parse(raw) as SyncRecord
  } catch {
    return undefined
  }
}

// Stores the record only if no other sync began or ended since this one began; a sync that wrote and may not
// store drops whatever record another sync stored meanwhile, as its own writes may have made it untrue.
const END_SYNC = `
local gen = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
if gen == tonumber(ARGV[2]) + 1 and ARGV[3] ~= '' then
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
  redis.call('HSET', KEYS[3], ARGV[1], ARGV[5])
  return 1
end
if ARGV[4] == '1' then
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('HDEL', KEYS[3], ARGV[1])
end
return 0`

export async function endSync(
  q: Queues,
  campaign: string,
  gen: number,
  record: SyncRecord | undefined,
  wrote: boolean,
  lines: string[] = [],
): Promise<boolean> {
  const stored = await q.redis.eval(
    END_SYNC,
    3,
    recordKey(q.prefix, 'sync-gen'),
    recordKey(q.prefix, 'synced'),
    recordKey(q.prefix, 'synced-jobs'),
    campaign,
    String(gen),
    record ? JSON.stringify(record) : '',
    wrote ? '1' : '0',
    lines.join('\n'),
  )
  return stored === 1
}
