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
    return await postParts(run, await keysFor(run), lookFirst)
  } catch (err) {
    if (run.checkpoint.current.inFlight !== undefined && provesNotPosted(err))
      await run.checkpoint.save({ inFlight: undefined })
    throw err
  }
}

/** The thread's keys: the checkpoint's, or assigned (and saved) before its first part. */
async function keysFor({ thread, publisher, checkpoint, slotAt }: ThreadRun): Promise<string[]> {
  const saved = checkpoint.current.keys
  const keys = saved ?? publisher.assignKeys(thread, slotAt)
  if (keys.length !== thread.parts.length)
    throw new ThreadChangedError(
      `the thread now has ${thread.parts.length} parts but ${keys.length} were planned when posting began`,
    )
  if (!saved) await checkpoint.save({ keys, posted: postedSoFar(thread, checkpoint) })
  return keys
}

function postedSoFar(thread: ComposedThread, checkpoint: CheckpointStore): (PostedRef | null)[] {
  return thread.parts.map((_, i) => checkpoint.current.posted[i] ?? null)
}

async function postParts(r: ThreadRun, keys: string[], lookFirst: boolean): Promise<ThreadOutcome> {
  const { thread, publisher, checkpoint } = r
  const posted = postedSoFar(thread, checkpoint)
  const refs = () => posted.filter((p): p is PostedRef => p !== null)
  let verify = lookFirst
  for (const part of thread.parts) {
    const i = part.index
    const earlier = posted[i]
    if (earlier) {
      r.onPart?.(i, earlier, true)
      continue
    }
    const stop = await r.beforePart?.(i)
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
    await checkpoint.save({ posted: [...posted], inFlight: undefined })
    r.onPart?.(i, ref, false)
  }
  return { refs: refs() }
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
