import { provesNotPosted } from '../src/platforms/errors.ts'
import type { PostContext, PostedRef, Publisher } from '../src/platforms/publisher.ts'
import type { ComposedThread } from '../src/threads/types.ts'
import type { PublishJobData } from './payload.ts'

// @NOTE The one posting loop, for the worker (publish.ts) and `ngovoices post` alike: part by part, with a
// checkpoint after each. The one window where a duplicate can come from — platform said OK, checkpoint not yet
// written — is marked by `inFlight` and verified with findPosted before any re-post. The mark goes only when the
// post request's own answer proves the part was not posted (provesNotPosted): a failed session refresh, lookup or
// upload says nothing about the earlier try. A thread with a slot and no checkpoint at all (new, or its checkpoint
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
}

export type ThreadOutcome = { stopped?: string; refs: PostedRef[] }

/** Posts the parts of `run.thread` not yet in its checkpoint. Throws the publisher's errors unchanged. */
export async function publishThread(run: ThreadRun): Promise<ThreadOutcome> {
  // No checkpoint before this run, and keys that a lost checkpoint may have used: look before posting.
  const lookFirst = run.slotAt !== undefined && run.checkpoint.current.keys === undefined
  try {
    const { keys, saving } = keysFor(run)
    return await postParts(run, keys, lookFirst, saving)
  } catch (err) {
    if (run.checkpoint.current.inFlight !== undefined && provesNotPosted(err))
      await run.checkpoint.save({ inFlight: undefined })
    throw err
  }
}

/** The thread's keys: the checkpoint's, or assigned, with their save (awaited before the first part). */
function keysFor({ thread, publisher, checkpoint, slotAt }: ThreadRun): {
  keys: string[]
  saving: Promise<void>
} {
  const saved = checkpoint.current.keys
  const keys = saved ?? publisher.assignKeys(thread, slotAt)
  if (keys.length !== thread.parts.length)
    throw new ThreadChangedError(
      `the thread now has ${thread.parts.length} parts but ${keys.length} were planned when posting began`,
    )
  const saving = saved
    ? Promise.resolve()
    : checkpoint.save({ keys, posted: postedSoFar(thread, checkpoint) })
  return { keys, saving }
}

function postedSoFar(thread: ComposedThread, checkpoint: CheckpointStore): (PostedRef | null)[] {
  return thread.parts.map((_, i) => checkpoint.current.posted[i] ?? null)
}

/**
 * @NOTE A checkpoint write and the checks before the next part (reads of pause, hand cancels and holds, which
 * that write does not change) go out together: one round trip, not two. Both are answered before anything else
 * happens, so the in-flight mark and the post of the next part still come after the checkpoint is stored.
 */
async function postParts(
  r: ThreadRun,
  keys: string[],
  lookFirst: boolean,
  keysSaving: Promise<void>,
): Promise<ThreadOutcome> {
  const { thread, publisher, checkpoint } = r
  const posted = postedSoFar(thread, checkpoint)
  const refs = () => posted.filter((p): p is PostedRef => p !== null)
  let verify = lookFirst
  /** The last checkpoint write, not yet awaited. */
  let saving = keysSaving
  for (const part of thread.parts) {
    const i = part.index
    const earlier = posted[i]
    if (earlier) {
      r.onPart?.(i, earlier, true)
      continue
    }
    const stop = await together(saving, r.beforePart?.(i))
    if (stop !== undefined) return { stopped: stop, refs: refs() }
    const ctx = postContext(keys[i] ?? '', posted, i, checkpoint.current.firstTriedAt)
    let ref: PostedRef | null = null
    if (verify || checkpoint.current.inFlight === i) ref = await publisher.findPosted(part, ctx)
    // A part found posted after its checkpoint was lost: the next one may have gone out too.
    verify = ref !== null
    if (!ref) {
      await checkpoint.save({ inFlight: i })
      ref = await publisher.postPart(part, ctx)
    }
    posted[i] = ref
    const up = ref
    saving = checkpoint
      .save({ posted: [...posted], inFlight: undefined })
      .then(() => r.onPart?.(i, up, false))
  }
  await saving
  return { refs: refs() }
}

/** Waits for a checkpoint write and the checks sent with it; the write's failure is the one reported. */
async function together<T>(saving: Promise<void>, checks: Promise<T> | undefined): Promise<T | undefined> {
  const [saved, checked] = await Promise.allSettled([saving, checks])
  if (saved.status === 'rejected') throw saved.reason
  if (checked.status === 'rejected') throw checked.reason
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
