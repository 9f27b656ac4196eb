import type { BlobRef } from '@atproto/api'
import { TID } from '@atproto/common-web'
import type { BlueskySecrets } from '../config.ts'
import type { CardImage, ComposedThread, ThreadPart } from '../threads/types.ts'
import { isRecordNotFound, isServerError, isUnresolvableHandle, toPublishError } from './bluesky-errors.ts'
import { facetsForPost } from './bluesky-facets.ts'
import { slotRecordKeys } from './bluesky-keys.ts'
import { checkPart, POST_COLLECTION, postedRef, postRecord, replyRef } from './bluesky-post.ts'
import { BlueskySession, type SessionOptions } from './bluesky-session.ts'
import { RateLimitedError, RetryableError } from './errors.ts'
import type { PostContext, PostedRef, Publisher } from './publisher.ts'

// Posts a thread part by part with createRecord under record keys chosen before the first attempt,
// so "was it posted?" is one getRecord away and a repeated createRecord can never make a second post
// (the same rkey twice is refused). See DESIGN.md "Bluesky".

/** `timeoutMs` limits every request, the session's included (see SessionOptions). */
export type BlueskyPublisherOptions = SessionOptions

export interface BlueskyPublisher extends Publisher {
  readonly name: 'bluesky'
  /** The posting account. */
  readonly did: string
  readonly handle: string
  /** createSession calls so far (one per process, unless the refresh token dies). */
  readonly logins: number
  /** Renew the session's tokens now; for a periodic housekeeping job (node-cron). */
  refresh(): Promise<void>
}

/** Handles an NGO thread mentions are few; the cap only keeps a long-lived worker's memory flat. */
const MAX_CACHED_HANDLES = 1000
/** A handle can change hands or come into being mid-campaign: ask again after an hour. */
const HANDLE_TTL_MS = 60 * 60_000

/** Logs in (or resumes a stored session) once; throws PermanentError for a refused app password. */
export async function createBlueskyPublisher(
  secrets: BlueskySecrets,
  opts: BlueskyPublisherOptions = {},
): Promise<BlueskyPublisher> {
  const session = new BlueskySession(secrets, opts)
  await session.start()
  return new Bluesky(session)
}

class Bluesky implements BlueskyPublisher {
  readonly name = 'bluesky' as const
  /** handle → DID (undefined: the server knows no such handle), and when it was asked. */
  private readonly handles = new Map<string, { did: string | undefined; at: number }>()

  constructor(private readonly session: BlueskySession) {}

  get did(): string {
    return this.session.did
  }

  get handle(): string {
    return this.session.handle
  }

  get logins(): number {
    return this.session.logins
  }

  refresh(): Promise<void> {
    return this.session.refresh()
  }

  assignKeys(thread: ComposedThread, slotAt?: number): string[] {
    if (slotAt !== undefined && Number.isFinite(slotAt)) return slotRecordKeys(thread, slotAt)
    // A thread posted now by hand: TIDs are time-ordered and unique per process, so keys never collide.
    return thread.parts.map(() => TID.nextStr())
  }

  async findPosted(part: ThreadPart, ctx: PostContext): Promise<PostedRef | null> {
    await this.session.ensure()
    try {
      const res = await this.session.agent.com.atproto.repo.getRecord({
        repo: this.did,
        collection: POST_COLLECTION,
        rkey: ctx.key,
      })
      if (!res.data.cid) throw new RetryableError(`Bluesky part ${part.index + 1}: getRecord gave no CID`)
      return postedRef(res.data.uri, res.data.cid, this.handle, ctx.key)
    } catch (err) {
      if (isRecordNotFound(err)) return null
      const failure = toPublishError(err, 'read', `check part ${part.index + 1}`)
      // Not knowing is never final: ask again later.
      if (failure instanceof RateLimitedError || failure instanceof RetryableError) throw failure
      throw new RetryableError(failure.message, { cause: err })
    }
  }

  async postPart(part: ThreadPart, ctx: PostContext): Promise<PostedRef> {
    checkPart(part, ctx)
    const reply = replyRef(ctx, part.index)
    await this.session.ensure()
    const facets = await facetsForPost(part.text, part.facets, (handle) => this.resolveHandle(handle))
    const card = part.image
    const image = card
      ? { alt: card.alt, width: card.width, height: card.height, blob: await this.upload(card, part.index) }
      : undefined
    const record = postRecord({
      text: part.text,
      facets,
      ...(image ? { image } : {}),
      ...(reply ? { reply } : {}),
      ...(part.langs ? { langs: part.langs } : {}),
      createdAt: new Date().toISOString(),
    })
    try {
      const res = await this.session.agent.com.atproto.repo.createRecord({
        repo: this.did,
        collection: POST_COLLECTION,
        rkey: ctx.key,
        record,
        validate: true,
      })
      return postedRef(res.data.uri, res.data.cid, this.handle, ctx.key)
    } catch (err) {
      const failure = toPublishError(err, 'write', `post part ${part.index + 1}`)
      if (isServerError(err)) {
        // @NOTE A record key already taken answers 500, not a conflict: an earlier try may have landed.
        const landed = await this.findPosted(part, ctx).catch(() => null)
        if (landed) return landed
      }
      throw failure
    }
  }

  /** What a log line shows of this publisher: never the session inside it. */
  toJSON(): { name: 'bluesky'; handle: string } {
    return { name: this.name, handle: this.handle }
  }

  async close(): Promise<void> {
    // @NOTE No logout: deleting the session would cost the next process a createSession.
  }

  private async upload(image: CardImage, index: number): Promise<BlobRef> {
    try {
      const res = await this.session.agent.com.atproto.repo.uploadBlob(image.data, { encoding: image.mime })
      return res.data.blob
    } catch (err) {
      throw toPublishError(err, 'upload', `upload part ${index + 1}'s image`)
    }
  }

  private async resolveHandle(handle: string): Promise<string | undefined> {
    const cached = this.handles.get(handle)
    if (cached && Date.now() - cached.at < HANDLE_TTL_MS) return cached.did
    let did: string | undefined
    try {
      const res = await this.session.agent.com.atproto.identity.resolveHandle({ handle })
      did = res.data.did
    } catch (err) {
      // A 400 is the server saying "no such handle"; anything else may answer differently later.
      if (!isUnresolvableHandle(err)) throw toPublishError(err, 'read', `resolve @${handle}`)
      did = undefined
    }
    if (this.handles.size >= MAX_CACHED_HANDLES) this.handles.clear()
    this.handles.set(handle, { did, at: Date.now() })
    return did
  }
}
