import type { ComposedThread, ThreadPart } from '../threads/types.ts'

/** What a platform gave back for one posted part: enough to reply to it and to link to it. */
export interface PostedRef {
  id: string
  /** Bluesky: at:// URI and CID (strong ref for replies). */
  uri?: string
  cid?: string
  /** A link a person can open. */
  url?: string
}

export interface PostContext {
  /** Assigned before the first attempt and stored in the job, so a retry asks about the same key. */
  key: string
  root?: PostedRef
  parent?: PostedRef
  /** Epoch ms: the part cannot have been posted before this (the job's first run); bounds a lookup. */
  notBefore?: number
}

/**
 * One adapter per platform (x, bluesky, outbox). The queue code only knows this interface.
 * Every method throws only the error classes of ./errors.ts.
 */
export interface Publisher {
  readonly name: 'x' | 'bluesky' | 'outbox'
  /**
   * Idempotency keys for each part, assigned once per thread (Bluesky: record keys / TIDs). Given the slot's
   * instant (epoch ms), the keys are the same every time for the same thread, so a key lost with its checkpoint
   * is found again.
   */
  assignKeys(thread: ComposedThread, slotAt?: number): string[]
  /** Was the part with this key already posted? Used on retry before posting again. null = not posted. */
  findPosted(part: ThreadPart, ctx: PostContext): Promise<PostedRef | null>
  postPart(part: ThreadPart, ctx: PostContext): Promise<PostedRef>
  /** Keeps a login session fresh (Bluesky); the worker calls it from time to time when it exists. */
  refreshSession?(): Promise<void>
  close(): Promise<void>
}
