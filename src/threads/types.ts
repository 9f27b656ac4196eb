import type { Platform } from '../quotes/schema.ts'

export interface CardImage {
  /** Encoded image bytes (PNG, or JPEG when a PNG would be too large). */
  data: Uint8Array
  mime: 'image/png' | 'image/jpeg'
  width: number
  height: number
  /** Never empty: every image we post carries alt text. */
  alt: string
  /** Where the rendered file lives, when it was written to disk. */
  path?: string
}

/** A Bluesky rich-text facet, byte offsets into the UTF-8 text. */
export interface Facet {
  index: { byteStart: number; byteEnd: number }
  features: (
    | { $type: 'app.bsky.richtext.facet#link'; uri: string }
    | { $type: 'app.bsky.richtext.facet#tag'; tag: string }
    | { $type: 'app.bsky.richtext.facet#mention'; did: string }
  )[]
}

export interface ThreadPart {
  /** 0-based position in the thread. */
  index: number
  text: string
  image?: CardImage
  /** Bluesky only. */
  facets?: Facet[]
  /** Bluesky only: the quote's language (BCP-47), so feeds and translation offers treat the post right. */
  langs?: string[]
}

export interface ComposedThread {
  campaign: string
  /** Session day in the campaign's zone (YYYY-MM-DD): the outbox files threads by day. */
  day: string
  threadId: string
  quoteId: string
  platform: Platform
  parts: ThreadPart[]
}
