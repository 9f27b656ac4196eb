import type { AppBskyFeedPost, BlobRef } from '@atproto/api'
import { facetProblem, graphemeLength, utf8Length } from '../threads/facets.ts'
import type { Facet, ThreadPart } from '../threads/types.ts'
import { PermanentError } from './errors.ts'
import type { PostContext, PostedRef } from './publisher.ts'

// What a post record looks like, and what we refuse before spending a request on it.

export const POST_COLLECTION = 'app.bsky.feed.post'
/** app.bsky.feed.post text: maxGraphemes 300. */
const MAX_GRAPHEMES = 300
/** app.bsky.feed.post text: maxLength 3000 (UTF-8 bytes); long emoji sequences reach it before 300 graphemes. */
const MAX_TEXT_BYTES = 3000
/** The widely reported image limit (976 KiB); newer servers take more, but older ones and clients do not. */
export const MAX_IMAGE_BYTES = 976 * 1024
/** Record keys are TIDs: 13 base32-sortable characters. */
const TID_PATTERN = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/

/** Refuse what Bluesky would refuse every time, naming the part and the limit. */
export function checkPart(part: ThreadPart, ctx: PostContext): void {
  const where = `Bluesky part ${part.index + 1}`
  if (!TID_PATTERN.test(ctx.key))
    throw new PermanentError(
      `${where}: key "${ctx.key}" is not a record key from assignKeys (a 13-character TID)`,
    )
  const graphemes = graphemeLength(part.text)
  if (graphemes > MAX_GRAPHEMES)
    throw new PermanentError(
      `${where}: text is ${graphemes} graphemes, Bluesky allows ${MAX_GRAPHEMES}; shorten it or split it`,
    )
  const bytes = utf8Length(part.text)
  if (bytes > MAX_TEXT_BYTES)
    throw new PermanentError(
      `${where}: text is ${bytes} bytes of UTF-8, Bluesky allows ${MAX_TEXT_BYTES}; shorten it`,
    )
  if (part.facets) {
    // Mentions may still carry a handle here: facetsForPost resolves them.
    const problem = facetProblem(part.text, part.facets, { handlesAllowed: true })
    if (problem) throw new PermanentError(`${where}: ${problem}`)
  }
  if (part.index > 0 && !ctx.parent)
    throw new PermanentError(
      `${where}: a reply needs the post before it (ctx.parent), or the thread would break`,
    )
  const image = part.image
  if (!image) return
  if (image.alt.trim() === '')
    throw new PermanentError(`${where}: the image has no alt text; every image we post needs one`)
  if (image.data.byteLength > MAX_IMAGE_BYTES)
    throw new PermanentError(
      `${where}: the image is ${kib(image.data.byteLength)}, over Bluesky's ${kib(MAX_IMAGE_BYTES)}; render it as JPEG or smaller`,
    )
  if (!(image.width > 0 && image.height > 0))
    throw new PermanentError(`${where}: the image has no size (${image.width}×${image.height})`)
}

export function postRecord(input: {
  text: string
  facets: Facet[]
  image?: { blob: BlobRef; alt: string; width: number; height: number }
  reply?: AppBskyFeedPost.ReplyRef
  langs?: string[]
  createdAt: string
}): AppBskyFeedPost.Record {
  return {
    $type: POST_COLLECTION,
    text: input.text,
    ...(input.facets.length > 0 ? { facets: input.facets } : {}),
    ...(input.langs?.length ? { langs: input.langs } : {}),
    ...(input.image
      ? {
          embed: {
            $type: 'app.bsky.embed.images',
            images: [
              {
                image: input.image.blob,
                alt: input.image.alt,
                aspectRatio: { width: input.image.width, height: input.image.height },
              },
            ],
          },
        }
      : {}),
    ...(input.reply ? { reply: input.reply } : {}),
    createdAt: input.createdAt,
  }
}

/** root = the thread's first post, parent = the one just before; for the second post they are the same. */
export function replyRef(ctx: PostContext, index: number): AppBskyFeedPost.ReplyRef | undefined {
  if (!ctx.parent) return undefined
  const parent = strongRef(ctx.parent, `part ${index + 1}'s parent`)
  const root = ctx.root ? strongRef(ctx.root, `part ${index + 1}'s root`) : parent
  return { root, parent }
}

function strongRef(ref: PostedRef, what: string): { uri: string; cid: string } {
  if (!ref.uri || !ref.cid)
    throw new PermanentError(`Bluesky: ${what} has no uri + cid (was it posted on Bluesky?)`)
  return { uri: ref.uri, cid: ref.cid }
}

export function postedRef(uri: string, cid: string, handle: string, rkey: string): PostedRef {
  return { id: uri, uri, cid, url: `https://bsky.app/profile/${handle}/post/${rkey}` }
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KiB`
}
