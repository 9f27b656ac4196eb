import { AppBskyRichtextFacet, RichText } from '@atproto/api'
import type { Facet } from './types.ts'

// Bluesky rich text without the network: links, #tags and @mentions found in a post, with their
// UTF-8 byte ranges. Mentions come back apart, as handles, because only a server can turn a handle
// into the DID a mention facet needs (src/platforms/bluesky-facets.ts does that at posting time).

export interface MentionSpan {
  handle: string
  index: Facet['index']
}

export interface DetectedFacets {
  /** Link and tag facets, ready to post. */
  facets: Facet[]
  /** @handles still to resolve; one that does not resolve stays plain text. */
  mentions: MentionSpan[]
}

const encoder = new TextEncoder()

export function utf8Length(text: string): number {
  return encoder.encode(text).length
}

/** Graphemes as Bluesky counts them (its 300 limit is in graphemes, not bytes or code units). */
export function graphemeLength(text: string): number {
  return new RichText({ text }).graphemeLength
}

export function detectFacets(text: string): DetectedFacets {
  const rt = new RichText({ text })
  rt.detectFacetsWithoutResolution()
  const facets: Facet[] = []
  const mentions: MentionSpan[] = []
  for (const found of rt.facets ?? []) {
    const index = { byteStart: found.index.byteStart, byteEnd: found.index.byteEnd }
    for (const feature of found.features) {
      if (AppBskyRichtextFacet.isLink(feature)) {
        facets.push({ index, features: [{ $type: 'app.bsky.richtext.facet#link', uri: feature.uri }] })
      } else if (AppBskyRichtextFacet.isTag(feature)) {
        facets.push({ index, features: [{ $type: 'app.bsky.richtext.facet#tag', tag: feature.tag }] })
      } else if (AppBskyRichtextFacet.isMention(feature)) {
        // @NOTE Unresolved, the library puts the handle where the DID belongs.
        mentions.push({ handle: feature.did.toLowerCase(), index })
      }
    }
  }
  return { facets: mergeFacets(facets), mentions }
}

function sortFacets(facets: readonly Facet[]): Facet[] {
  return [...facets].sort((a, b) => a.index.byteStart - b.index.byteStart)
}

/** Sorted, and a facet that overlaps an earlier one dropped (e.g. an @handle inside a link): clients reject overlaps. */
export function mergeFacets(facets: readonly Facet[]): Facet[] {
  const merged: Facet[] = []
  let previousEnd = 0
  for (const facet of sortFacets(facets)) {
    if (facet.index.byteStart < previousEnd) continue
    merged.push(facet)
    previousEnd = facet.index.byteEnd
  }
  return merged
}

/**
 * Why these facets cannot be posted on this text, or undefined when they can: every range inside the
 * text, non-empty, on character boundaries, not overlapping, and every mention pointing at a DID.
 */
export function facetProblem(
  text: string,
  facets: readonly Facet[],
  opts: { handlesAllowed?: boolean } = {},
): string | undefined {
  const bytes = encoder.encode(text)
  // A UTF-8 continuation byte (10xxxxxx) can never start or end a character.
  const onBoundary = (i: number) => i === bytes.length || ((bytes[i] ?? 0) & 0xc0) !== 0x80
  let previousEnd = 0
  for (const facet of sortFacets(facets)) {
    const { byteStart, byteEnd } = facet.index
    const where = `facet at bytes ${byteStart}–${byteEnd} of a ${bytes.length}-byte text`
    if (!Number.isInteger(byteStart) || !Number.isInteger(byteEnd) || byteStart < 0 || byteEnd > bytes.length)
      return `${where} lies outside the text`
    if (byteStart >= byteEnd) return `${where} is empty`
    if (!onBoundary(byteStart) || !onBoundary(byteEnd)) return `${where} cuts a character in two`
    if (byteStart < previousEnd) return `${where} overlaps the facet before it`
    if (facet.features.length === 0) return `${where} has no feature`
    for (const feature of facet.features) {
      if (
        feature.$type === 'app.bsky.richtext.facet#mention' &&
        !opts.handlesAllowed &&
        !feature.did.startsWith('did:')
      )
        return `${where} mentions "${feature.did}", which is not a DID`
    }
    previousEnd = byteEnd
  }
  return undefined
}
