import { detectFacets, type MentionSpan, mergeFacets } from '../threads/facets.ts'
import type { Facet } from '../threads/types.ts'

// Facets for one post: the composer's when it gave them, else detected here; @mentions get their DIDs
// from the posting account's server. A handle that does not resolve stays plain text: a mention facet
// with a handle where the DID belongs would be a broken link.

/** handle → DID, or undefined when the server says there is no such handle. Other failures throw. */
export type ResolveHandle = (handle: string) => Promise<string | undefined>

export async function facetsForPost(
  text: string,
  given: readonly Facet[] | undefined,
  resolve: ResolveHandle,
): Promise<Facet[]> {
  const { facets: detected, mentions } = detectFacets(text)
  if (given === undefined) return mergeFacets([...detected, ...(await resolveMentions(mentions, resolve))])

  // @NOTE A composer cannot reach the network, so its mention facets may carry a handle: resolve those.
  const out: Facet[] = []
  for (const facet of given) {
    const features: Facet['features'] = []
    for (const feature of facet.features) {
      if (feature.$type !== 'app.bsky.richtext.facet#mention' || feature.did.startsWith('did:')) {
        features.push(feature)
        continue
      }
      const did = await resolve(feature.did.replace(/^@/, '').toLowerCase())
      if (did !== undefined) features.push({ ...feature, did })
    }
    if (features.length > 0) out.push({ index: facet.index, features })
  }
  // An @mention the composer left without a facet still becomes one: a named partner should be notified.
  const uncovered = mentions.filter((m) => !given.some((f) => overlaps(f.index, m.index)))
  return mergeFacets([...out, ...(await resolveMentions(uncovered, resolve))])
}

async function resolveMentions(mentions: MentionSpan[], resolve: ResolveHandle): Promise<Facet[]> {
  const facets: Facet[] = []
  for (const mention of mentions) {
    const did = await resolve(mention.handle)
    if (did !== undefined)
      facets.push({ index: mention.index, features: [{ $type: 'app.bsky.richtext.facet#mention', did }] })
  }
  return facets
}

function overlaps(a: Facet['index'], b: Facet['index']): boolean {
  return a.byteStart < b.byteEnd && b.byteStart < a.byteEnd
}
