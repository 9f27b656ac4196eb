import { MAX_ALT_CHARS } from '../cards/index.ts'
import type { Platform } from '../quotes/schema.ts'
import { countPost, POST_LIMITS } from '../threads/count.ts'
import type { ThreadPart } from '../threads/types.ts'

// @NOTE Counted by the threads module, the way each platform counts when it refuses a post.
const UNITS: Record<Platform, string> = { x: 'characters', bluesky: 'graphemes' }
export const LIMITS: Record<Platform, { max: number; unit: string }> = {
  x: { max: POST_LIMITS.x, unit: UNITS.x },
  bluesky: { max: POST_LIMITS.bluesky, unit: UNITS.bluesky },
}

export const countFor = countPost

/** What a comms officer should look at before this post goes out; empty when all is well. */
export function partWarnings(platform: Platform, part: ThreadPart, count: number): string[] {
  const out: string[] = []
  const { max, unit } = LIMITS[platform]
  if (part.text.trim() === '') out.push('the post is empty')
  if (count > max) out.push(`${count - max} ${unit} over the ${max} limit: it will be refused`)
  if (part.image) {
    if (part.image.alt.trim() === '') out.push('the image has no alt text')
    else if (part.image.alt.length > MAX_ALT_CHARS)
      out.push(`the alt text is over ${MAX_ALT_CHARS} characters`)
  }
  if (platform === 'bluesky' && /https?:\/\//.test(part.text) && !part.facets?.some(hasLink))
    out.push('a link in the text is not marked as a link (no facet): it will not be clickable')
  return out
}

function hasLink(f: NonNullable<ThreadPart['facets']>[number]): boolean {
  return f.features.some((x) => x.$type === 'app.bsky.richtext.facet#link')
}
