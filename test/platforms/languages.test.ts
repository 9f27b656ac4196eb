import twitterText from 'twitter-text'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBlueskyPublisher } from '../../src/platforms/bluesky.ts'
import type { PostedRef } from '../../src/platforms/publisher.ts'
import { loadBank } from '../../src/quotes/load.ts'
import { composeThread } from '../../src/threads/compose.ts'
import type { CardImage } from '../../src/threads/types.ts'
import { startFakeX } from '../fake-x/server.ts'
import { startTestPds, type TestPds } from '../pds/network.ts'
import { cardImage, contextFor, facetText, listPosts } from './bluesky-helpers.ts'
import { ctxFor, xPublisherFor } from './x-helpers.ts'

// Issue 13: the Arabic thread of fixtures/languages posted for real (a dev-env PDS; the real twitter-api-v2 client
// against the fake X) and read back: the Unicode hashtags are tags where each platform says they are.

const bank = await loadBank('fixtures/languages')
const quote = bank.quotes.find((q) => q.id === 'haq-palestine-ar')
if (!quote) throw new Error('fixtures/languages lost its Arabic quote')
const TAGS = ['NGOVoices', 'العدالة_الدولية', 'CPIÉquité']

let pds: TestPds
let card: CardImage
beforeAll(async () => {
  pds = await startTestPds({ area: 'languages' })
  card = await cardImage('Justice')
})
afterAll(async () => {
  await pds?.close()
})

const thread = (platform: 'x' | 'bluesky') =>
  composeThread({
    quote,
    campaign: bank.campaign,
    platform,
    day: '2026-03-27',
    threadId: `t-${platform}`,
    card,
  })

describe('Unicode hashtags posted and read back', () => {
  it('Bluesky: the PDS stores tag facets over exactly the bytes of #العدالة_الدولية and #CPIÉquité', async () => {
    const t = thread('bluesky')
    const pub = await createBlueskyPublisher({
      service: pds.service,
      identifier: pds.handle,
      password: pds.password,
    })
    const keys = pub.assignKeys(t)
    const refs: PostedRef[] = []
    for (const part of t.parts) refs.push(await pub.postPart(part, contextFor(keys, refs, part.index)))
    const records = await listPosts(pds.reader, pds.did)
    const hook = records.find((r) => r.uri.endsWith(`/${keys[0]}`))
    if (!hook) throw new Error('the hook was not stored')
    const text = String(hook.value.text)
    expect(text).toBe(t.parts[0]?.text)
    expect(hook.value.langs).toEqual(['ar'])
    const facets = (hook.value.facets ?? []) as {
      index: { byteStart: number; byteEnd: number }
      features: { $type: string; tag?: string }[]
    }[]
    const tags = facets.flatMap((f) =>
      f.features
        .filter((x) => x.$type === 'app.bsky.richtext.facet#tag')
        .map((x) => ({ tag: x.tag, covers: facetText(text, f.index) })),
    )
    expect(tags).toEqual(TAGS.map((tag) => ({ tag, covers: `#${tag}` })))
    // The byte offsets are UTF-8 ones: the Arabic tag starts after the Arabic text, far past its UTF-16 index.
    const arabic = facets.find((f) => f.features.some((x) => x.tag === 'العدالة_الدولية'))
    expect(arabic?.index.byteStart).toBe(Buffer.byteLength(text.slice(0, text.indexOf('#العدالة_الدولية'))))
  })

  it('X: the fake X receives the Arabic posts as composed, each within 280 and with the hashtags X will link', async () => {
    const fake = await startFakeX()
    try {
      const t = thread('x')
      const pub = await xPublisherFor(fake)
      const keys = pub.assignKeys(t)
      const refs: PostedRef[] = []
      for (const p of t.parts) refs.push(await pub.postPart(p, ctxFor(keys[p.index] ?? '', refs, p.index)))
      const posted = fake.requests
        .filter((r) => r.method === 'POST' && r.path === '/2/tweets')
        .map((r) => String((r.body as { text?: unknown }).text))
      expect(posted).toEqual(t.parts.map((p) => p.text))
      for (const text of posted) expect(twitterText.parseTweet(text).valid).toBe(true)
      expect(twitterText.extractHashtags(posted[0] ?? '')).toEqual(TAGS)
    } finally {
      await fake.close()
    }
  })
})
