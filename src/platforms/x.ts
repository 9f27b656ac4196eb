import { randomBytes } from 'node:crypto'
import {
  ApiResponseError,
  type TweetV2,
  type TweetV2UserTimelineResult,
  type TwitterApi,
} from 'twitter-api-v2'
import type { XSecrets } from '../config.ts'
import type { CardImage, ComposedThread, ThreadPart } from '../threads/types.ts'
import { PermanentError, RateLimitedError, RetryableError } from './errors.ts'
import type { PostContext, PostedRef, Publisher } from './publisher.ts'
import { type XClientOptions, xClient } from './x-client.ts'
import { toPublishError } from './x-errors.ts'

// Posts a thread part by part: the card through the v2 chunked upload with its alt text, then POST /2/tweets
// replying to the part before. Not tweetThread: it loses the ids already posted when one part fails. X has no
// idempotency key, so "was it posted?" is answered from the account's recent posts (see findPosted).

export interface XPublisherOptions extends XClientOptions {
  /** How many recent posts findPosted reads per page (5–100). Default 100. */
  lookback?: number
  /** How many pages of them at most. Default 3. */
  lookbackPages?: number
}

/** A post made just before the job's first try (clocks differ) still counts. */
const CLOCK_SKEW_MS = 5 * 60_000

export interface XPublisher extends Publisher {
  readonly name: 'x'
  readonly userId: string
  readonly username: string
}

/** X allows 1,000 characters of alt text. */
const MAX_ALT = 1000

/** Checks the credentials once (GET /2/users/me): a refused key fails here, before any slot is due. */
export async function createXPublisher(secrets: XSecrets, opts: XPublisherOptions = {}): Promise<XPublisher> {
  const client = xClient(secrets, opts)
  let me: { id: string; username: string }
  try {
    me = (await client.v2.me()).data
  } catch (err) {
    throw toPublishError(err, 'read', 'check the posting account (GET /2/users/me)')
  }
  return new X(client, me.id, me.username, opts.lookback ?? 100, opts.lookbackPages ?? 3)
}

/** The text a post was sent with, from the text X gives back: t.co links expanded, the media link dropped. */
function sentText(tweet: TweetV2): string {
  let text = tweet.text
  for (const u of tweet.entities?.urls ?? []) {
    // @NOTE A media link is the photo's own t.co, added by X after the text.
    if ('media_key' in u && u.media_key) text = text.replace(` ${u.url}`, '').replace(u.url, '')
    else text = text.replace(u.url, u.expanded_url)
  }
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim()
}

class X implements XPublisher {
  readonly name = 'x' as const
  readonly #client: TwitterApi

  constructor(
    client: TwitterApi,
    readonly userId: string,
    readonly username: string,
    private readonly lookback: number,
    private readonly lookbackPages: number,
  ) {
    this.#client = client
  }

  assignKeys(thread: ComposedThread): string[] {
    // X takes no key of ours; the key names the part in logs and checkpoints.
    const run = randomBytes(4).toString('hex')
    return thread.parts.map((p) => `${thread.threadId}/x/${p.index + 1}-${run}`)
  }

  /**
   * The post with exactly this part's text, replying to this part's parent (or to nothing for the first), among
   * the account's posts since the job first ran (start_time), page by page (a busy account may have posted more
   * than one page since).
   */
  async findPosted(part: ThreadPart, ctx: PostContext): Promise<PostedRef | null> {
    const want = part.text.trim()
    const since = ctx.notBefore !== undefined ? { start_time: rfc3339(ctx.notBefore - CLOCK_SKEW_MS) } : {}
    let token: string | undefined
    for (let page = 0; page < this.lookbackPages; page++) {
      let res: TweetV2UserTimelineResult
      try {
        res = await this.#client.v2.get<TweetV2UserTimelineResult>(
          'users/:id/tweets',
          {
            max_results: this.lookback,
            'tweet.fields': 'created_at,entities,referenced_tweets',
            ...since,
            ...(token ? { pagination_token: token } : {}),
          },
          { params: { id: this.userId } },
        )
      } catch (err) {
        const failure = toPublishError(err, 'read', `check part ${part.index + 1}`)
        // Not knowing is never final: ask again later.
        if (failure instanceof RateLimitedError || failure instanceof RetryableError) throw failure
        throw new RetryableError(failure.message, { cause: err })
      }
      for (const t of res.data ?? []) {
        const parent = t.referenced_tweets?.find((r) => r.type === 'replied_to')?.id
        if (parent !== ctx.parent?.id) continue
        if (sentText(t) === want) return this.ref(t.id)
      }
      token = res.meta?.next_token
      if (!token) break
    }
    return null
  }

  async postPart(part: ThreadPart, ctx: PostContext): Promise<PostedRef> {
    if (part.index > 0 && !ctx.parent)
      throw new PermanentError(`X: part ${part.index + 1} has no parent post to reply to`)
    const mediaId = part.image ? await this.upload(part.image, part.index) : undefined
    try {
      const res = await this.#client.v2.tweet({
        text: part.text,
        ...(mediaId ? { media: { media_ids: [mediaId] } } : {}),
        ...(ctx.parent ? { reply: { in_reply_to_tweet_id: ctx.parent.id } } : {}),
      })
      return this.ref(res.data.id)
    } catch (err) {
      const failure = toPublishError(err, 'post', `post part ${part.index + 1}`)
      // @NOTE X refuses a repeat with 403 "duplicate content" and no id, and a 5xx may still have posted: in
      // both cases look before calling it a failure.
      if (err instanceof ApiResponseError && (err.code === 403 || err.code >= 500)) {
        const landed = await this.findPosted(part, ctx).catch(() => null)
        if (landed) return landed
      }
      throw failure
    }
  }

  /** What a log line shows of this publisher: never the client (it holds the secrets). */
  toJSON(): { name: 'x'; username: string } {
    return { name: this.name, username: this.username }
  }

  async close(): Promise<void> {}

  private ref(id: string): PostedRef {
    return { id, url: `https://x.com/${this.username}/status/${id}` }
  }

  private async upload(image: CardImage, index: number): Promise<string> {
    const alt = image.alt.trim()
    if (!alt) throw new PermanentError(`X: part ${index + 1}'s image has no alt text`)
    try {
      const id = await this.#client.v2.uploadMedia(Buffer.from(image.data), { media_type: image.mime })
      await this.#client.v2.createMediaMetadata(id, {
        alt_text: { text: [...alt].slice(0, MAX_ALT).join('') },
      })
      return id
    } catch (err) {
      // An upload posts nothing: whatever failed, trying again cannot make a second post.
      throw toPublishError(err, 'upload', `upload part ${index + 1}'s image`)
    }
  }
}

/** X takes start_time as RFC 3339 to the second. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
