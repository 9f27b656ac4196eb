import { provesNotPosted } from '../src/platforms/errors.ts'
import type { PostContext, PostedRef, Publisher } from '../src/platforms/publisher.ts'
import type { ComposedThread } from '../src/threads/types.ts'
import type { PublishJobData } from './payload.ts'

// @NOTE The one posting loop, for the worker (publish.ts) and `ngovoices post` alike: part by part, with a
// checkpoint after each. The one window where a duplicate can come from — platform said OK, checkpoint not yet
// written — is marked by `inFlight` and verified with findPosted before any re-post. The mark goes only when the
// post request's own answer proves the part was not posted (provesNotPosted), or when the checks before the part
// stop it before any request for it: a failed session refresh, lookup or upload says nothing about the earlier try. A thread with a slot and no checkpoint at all (new, or its checkpoint
// lost with Redis's last writes) looks before its first part too, since its keys come from the slot, and goes on
// looking while it finds parts. Where the checkpoint lives and what a failure means are the callers' to decide.

/** What is kept between attempts: the keys, what each part became, and the part that was being posted. */
export type Checkpoint = Pick<PublishJobData, 'keys' | 'posted' | 'inFlight' | 'firstTriedAt'>

export interface CheckpointStore {
  /** The checkpoint as last saved. */
  readonly current: Checkpoint
  save(patch: Partial<Checkpoint>): Promise<void>
}

/** The thread composed now has another number of parts than when posting began: a person must look. */
export class ThreadChangedError extends Error {
  override name = 'ThreadChangedError'
}

export interface ThreadRun {
  thread: ComposedThread
  publisher: Publisher
  checkpoint: CheckpointStore
  /**
   * The slot's instant (epoch ms): the keys are derived from it, so they are found again when a checkpoint is
   * lost. Undefined for a thread posted by hand now, whose keys are new and stored before its first part.
   */
  slotAt?: number
  /** Before each part still to post: a reason to stop the thread here, or a throw to give it back. */
  beforePart?(index: number): Promise<string | undefined>
  /** Each part once it is up; `earlier` when the checkpoint already held it. */
  onPart?(index: number, ref: PostedRef, earlier: boolean): void
  /** Issues a checkpoint write and the checks sent with it, so they can leave together (sent-together.ts). */
  together?<T>(issue: () => T): T
}

export type ThreadOutcome = { stopped?: string; refs: PostedRef[] }

/** Posts the parts of `run.thread` not yet in its checkpoint. Throws the publisher's errors unchanged. */
export async function publishThread(run: ThreadRun): Promise<ThreadOutcome> {
  // No checkpoint before this run, and keys that a lost checkpoint may have used: look before posting.
  const lookFirst = run.slotAt !== undefined && run.checkpoint.current.keys === undefined
  try {
    const { keys, unsaved } = keysFor(run)
    return await postParts(run, keys, lookFirst, unsaved)
  } catch (err) {
    if (run.checkpoint.current.inFlight !== undefined && provesNotPosted(err))
      await run.checkpoint.save({ inFlight: undefined })
    throw err
  }
}

/** The thread's keys: the checkpoint's, or assigned now, with what the first checkpoint write must store. */
function keysFor({ thread, publisher, checkpoint, slotAt }: ThreadRun): {
  keys: string[]
  unsaved: Partial<Checkpoint>
} {
  const saved = checkpoint.current.keys
  const keys = saved ?? publisher.assignKeys(thread, slotAt)
  if (keys.length !== thread.parts.length)
    throw new ThreadChangedError(
      `the thread now has ${thread.parts.length} parts but ${keys.length} were planned when posting began`,
    )
  return { keys, unsaved: saved ? {} : { keys } }
}

function postedSoFar(thread: ComposedThread, checkpoint: CheckpointStore): (PostedRef | null)[] {
  return thread.parts.map((_, i) => checkpoint.current.posted[i] ?? null)
}

/**
 * @NOTE One checkpoint write per part, not two: the write that marks part i in flight also stores what part i-1
 * became (and, on a first run, the keys), and goes out with the checks before part i (reads of pause, hand
 * cancels and holds, which it does not change): one round trip. Both are answered before the part is looked up
 * or posted, so the mark is stored before any request for the part. Marked a moment early, a part the checks then
 * stop has its mark taken back (to what the last run left) before anything else happens; a mark left by a crash in
 * that moment only makes the next attempt look before it posts, as after any mark.
 */
async function postParts(
  r: ThreadRun,
  keys: string[],
  lookFirst: boolean,
  unsaved: Partial<Checkpoint>,
): Promise<ThreadOutcome> {
  const { thread, publisher, checkpoint } = r
  const posted = postedSoFar(thread, checkpoint)
  const refs = () => posted.filter((p): p is PostedRef => p !== null)
  let verify = lookFirst
  /** The part an earlier attempt left in flight: it may be up, so it is looked up before any re-post. */
  const leftInFlight = checkpoint.current.inFlight
  /** The part posted in this run and not yet in a stored checkpoint. */
  let unstored: { i: number; ref: PostedRef } | undefined
  const stored = () => {
    if (unstored) r.onPart?.(unstored.i, unstored.ref, false)
    unstored = undefined
  }
  for (const part of thread.parts) {
    const i = part.index
    const earlier = posted[i]
    if (earlier) {
      r.onPart?.(i, earlier, true)
      continue
    }
    const mark = { ...unsaved, posted: [...posted], inFlight: i }
    const [marking, checks] = (r.together ?? ((issue) => issue()))(
      () => [checkpoint.save(mark), r.beforePart?.(i)] as const,
    )
    unsaved = {}
    const unmark = () => checkpoint.save({ inFlight: leftInFlight === i ? i : undefined })
    const stop = await together(marking, checks, stored, unmark)
    if (stop !== undefined) {
      await unmark()
      return { stopped: stop, refs: refs() }
    }
    const ctx = postContext(keys[i] ?? '', posted, i, checkpoint.current.firstTriedAt)
    let ref: PostedRef | null = null
    if (verify || leftInFlight === i) ref = await publisher.findPosted(part, ctx)
    // A part found posted after its checkpoint was lost: the next one may have gone out too.
    verify = ref !== null
    if (!ref) ref = await publisher.postPart(part, ctx)
    posted[i] = ref
    unstored = { i, ref }
  }
  if (unstored || Object.keys(unsaved).length > 0) {
    await checkpoint.save({ ...unsaved, posted: [...posted], inFlight: undefined })
    stored()
  }
  return { refs: refs() }
}

/**
 * Waits for a checkpoint write and the checks sent with it. The write's failure is the one reported; once it is
 * stored, `stored` runs, and a check that throws has `unmark` run before its error goes on.
 */
async function together<T>(
  saving: Promise<void>,
  checks: Promise<T> | undefined,
  stored: () => void,
  unmark: () => Promise<void>,
): Promise<T | undefined> {
  const [saved, checked] = await Promise.allSettled([saving, checks])
  if (saved.status === 'rejected') throw saved.reason
  stored()
  if (checked.status === 'rejected') {
    await unmark()
    throw checked.reason
  }
  return checked.value
}

function postContext(
  key: string,
  posted: (PostedRef | null)[],
  i: number,
  notBefore: number | undefined,
): PostContext {
  const root = posted[0] ?? undefined
  const parent = i > 0 ? (posted[i - 1] ?? undefined) : undefined
  return {
    key,
    ...(root ? { root } : {}),
    ...(parent ? { parent } : {}),
    ...(notBefore !== undefined ? { notBefore } : {}),
  }
}
