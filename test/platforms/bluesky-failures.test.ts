import { AtpAgent } from '@atproto/api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BlueskySecrets } from '../../src/config.ts'
import { createBlueskyPublisher } from '../../src/platforms/bluesky.ts'
import { MAX_IMAGE_BYTES } from '../../src/platforms/bluesky-post.ts'
import {
  AmbiguousError,
  PermanentError,
  RateLimitedError,
  RetryableError,
} from '../../src/platforms/errors.ts'
import type { PostedRef } from '../../src/platforms/publisher.ts'
import type { Facet, ThreadPart } from '../../src/threads/types.ts'
import { freePort, startTestPds, type TestPds } from '../pds/network.ts'
import {
  byteRange,
  cardImage,
  contextFor,
  countingFetch,
  DropProxy,
  listPosts,
  noisyPng,
  threadOf,
} from './bluesky-helpers.ts'

// What goes wrong on the way to Bluesky, on a real PDS with its rate limits on: a connection cut
// after sending, refusals before sending, a bad app password, too many logins.

let pds: TestPds

beforeAll(async () => {
  pds = await startTestPds({ area: 'bluesky-failures', rateLimits: true })
})
afterAll(async () => {
  await pds?.close()
})

const secrets = (over: Partial<BlueskySecrets> = {}): BlueskySecrets => ({
  service: pds.service,
  identifier: pds.handle,
  password: pds.password,
  ...over,
})

function part(thread: ReturnType<typeof threadOf>, index: number): ThreadPart {
  const p = thread.parts[index]
  if (!p) throw new Error(`no part ${index}`)
  return p
}

describe('Bluesky publisher when things go wrong', () => {
  it('a connection cut after sending is ambiguous, and findPosted then tells whether the post landed', async () => {
    const proxy = await DropProxy.start(pds.port)
    try {
      const target = { from: new URL(pds.service).origin, to: proxy.url }
      const route = countingFetch(target)
      const pub = await createBlueskyPublisher(secrets(), { fetch: route.fetch, timeoutMs: 10_000 })
      const thread = threadOf([
        { text: 'Cut test: the opening post #NGOVoices' },
        { text: 'Cut test: the server answers, the answer is lost' },
        { text: 'Cut test: the request is lost' },
      ])
      const keys = pub.assignKeys(thread)
      const ctx = (i: number, refs: PostedRef[]) => contextFor(keys, refs, i)
      const refs: PostedRef[] = [await pub.postPart(part(thread, 0), ctx(0, []))]

      // 1. The PDS writes the post and answers; the answer never arrives.
      proxy.mode = 'drop-response'
      await expect(pub.postPart(part(thread, 1), ctx(1, refs))).rejects.toBeInstanceOf(AmbiguousError)
      expect(proxy.drops).toBe(1)
      proxy.mode = 'pass'
      const landed = await pub.findPosted(part(thread, 1), ctx(1, refs))
      expect(landed?.uri).toMatch(new RegExp(`/app.bsky.feed.post/${keys[1]}$`))
      if (!landed) throw new Error('unreachable')
      refs.push(landed)

      // 2. The request dies before the PDS reads it: nothing was posted, so it is posted now, once.
      proxy.mode = 'drop-request'
      await expect(pub.postPart(part(thread, 2), ctx(2, refs))).rejects.toBeInstanceOf(AmbiguousError)
      expect(proxy.drops).toBe(2)
      proxy.mode = 'pass'
      expect(await pub.findPosted(part(thread, 2), ctx(2, refs))).toBeNull()
      refs.push(await pub.postPart(part(thread, 2), ctx(2, refs)))

      const records = await listPosts(pds.reader, pds.did)
      for (const [i, key] of keys.entries()) {
        const matching = records.filter((r) => r.uri.endsWith(`/${key}`))
        expect(matching.map((r) => r.value.text)).toEqual([part(thread, i).text])
      }
      expect(records.find((r) => r.uri === refs[2]?.uri)?.value.reply).toEqual({
        root: { uri: refs[0]?.uri, cid: refs[0]?.cid },
        parent: { uri: refs[1]?.uri, cid: refs[1]?.cid },
      })

      // 3. Nothing listening: the request never left, so it is plainly retryable (not ambiguous).
      // (A new address, so no kept-alive connection is reused: one closed under a request is ambiguous.)
      target.to = `http://127.0.0.1:${await freePort()}`
      const next = threadOf([{ text: 'never sent' }])
      const [nextKey] = pub.assignKeys(next)
      if (!nextKey) throw new Error('no key')
      await expect(pub.postPart(part(next, 0), { key: nextKey })).rejects.toBeInstanceOf(RetryableError)
      await expect(pub.findPosted(part(next, 0), { key: nextKey })).rejects.toBeInstanceOf(RetryableError)
    } finally {
      await proxy.close().catch(() => undefined)
    }
  })

  it('refuses, before any request, what Bluesky would refuse every time', async () => {
    const counter = countingFetch()
    const pub = await createBlueskyPublisher(secrets(), { fetch: counter.fetch })
    const before = (await listPosts(pds.reader, pds.did)).length
    const card = await cardImage()
    const big = await noisyPng(640, 560)
    expect(big.data.byteLength).toBeGreaterThan(MAX_IMAGE_BYTES)
    const arabic = 'في لاهاي '
    const refused: [string, ThreadPart, string?][] = [
      ['301 graphemes', { index: 0, text: 'ي'.repeat(301) }],
      ['over 3000 bytes in 121 graphemes', { index: 0, text: '👨‍👩‍👧‍👦'.repeat(121) }],
      ['an image over 976 KiB', { index: 0, text: 'big card', image: big }],
      ['an image without alt text', { index: 0, text: 'no alt', image: { ...card, alt: '  ' } }],
      [
        'a facet that cuts a letter in two',
        {
          index: 0,
          text: `${arabic}#ASP21`,
          facets: [
            {
              index: { byteStart: 1, byteEnd: 9 },
              features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'x' }],
            },
          ],
        },
      ],
      ['a reply without a parent', { index: 1, text: 'orphan reply' }],
      ['a key that is not a TID', { index: 0, text: 'bad key' }, 'not-a-tid'],
    ]
    for (const [what, p, key] of refused) {
      const [fresh] = pub.assignKeys(threadOf([p]))
      const err = await pub.postPart(p, { key: key ?? fresh ?? '' }).catch((e: unknown) => e)
      expect(err, what).toBeInstanceOf(PermanentError)
    }
    expect(counter.count('com.atproto.repo.uploadBlob')).toBe(0)
    expect(counter.count('com.atproto.repo.createRecord')).toBe(0)

    // The limit is graphemes, not bytes or UTF-16 units: 300 Arabic letters (600 bytes) go through.
    const atLimit = { index: 0, text: 'ي'.repeat(300) }
    const [key] = pub.assignKeys(threadOf([atLimit]))
    await pub.postPart(atLimit, { key: key ?? '' })
    expect((await listPosts(pds.reader, pds.did)).length - before).toBe(1)
  })

  it("uses the composer's facets, resolving mentions that carry a handle and linking @mentions it left out", async () => {
    const friend = await pds.createAccount('icjforum')
    const pub = await createBlueskyPublisher(secrets())
    const text = `في لاهاي with @${friend.handle}, @ghost.test and @${pds.handle} https://example.org/not-linked #ASP21`
    const mentionOf = (handle: string, did: string): Facet => ({
      index: byteRange(text, `@${handle}`),
      features: [{ $type: 'app.bsky.richtext.facet#mention', did }],
    })
    const asp21: Facet = {
      index: byteRange(text, '#ASP21'),
      features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'ASP21' }],
    }
    // The composer's facets: two mentions still as handles, the tag; nothing for the link or the last mention.
    const given: ThreadPart = {
      index: 0,
      text,
      facets: [mentionOf(friend.handle, `@${friend.handle}`), mentionOf('ghost.test', 'ghost.test'), asp21],
    }
    const [key] = pub.assignKeys(threadOf([given]))
    const ref = await pub.postPart(given, { key: key ?? '' })
    const got = await pds.reader.com.atproto.repo.getRecord({
      repo: pds.did,
      collection: 'app.bsky.feed.post',
      rkey: key ?? '',
    })
    expect(got.data.cid).toBe(ref.cid)
    // Handles became DIDs; @ghost.test (no one) is plain text; the link the composer left out stays out.
    expect(got.data.value.facets).toEqual([
      mentionOf(friend.handle, friend.did),
      mentionOf(pds.handle, pds.did),
      asp21,
    ])
  })

  it('a refused app password is permanent and its message names the fix, not the password', async () => {
    const wrong = 'abcd-efgh-ijkl-mnop'
    const err = await createBlueskyPublisher(secrets({ password: wrong })).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PermanentError)
    expect((err as Error).message).toContain('BLUESKY_APP_PASSWORD')
    expect((err as Error).message).not.toContain(wrong)
  })

  // 30 real logins (scrypt on the PDS): seconds of CPU, hence the longer limit.
  it('too many logins: RateLimitedError until the ratelimit-reset instant', async () => {
    const busy = await pds.createAccount('busyngo')
    // Some other process has used up the account's 30 logins for these 5 minutes.
    await Promise.all(
      Array.from({ length: 30 }, () =>
        new AtpAgent({ service: pds.service }).login({ identifier: busy.handle, password: busy.password }),
      ),
    )
    const probe = await fetch(new URL('/xrpc/com.atproto.server.createSession', pds.service), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: busy.handle, password: busy.password }),
    })
    expect(probe.status, await probe.clone().text()).toBe(429)
    const reset = Number(probe.headers.get('ratelimit-reset'))
    expect(reset * 1000).toBeGreaterThan(Date.now())

    const started = Date.now()
    const counter = countingFetch()
    const err = await createBlueskyPublisher(secrets({ identifier: busy.handle, password: busy.password }), {
      fetch: counter.fetch,
    }).catch((e: unknown) => e)
    expect(err, String(err)).toBeInstanceOf(RateLimitedError)
    const until = (err as RateLimitedError).until.getTime()
    // The header of the publisher's own 429 (the probe's can be a second earlier: the PDS rounds to seconds).
    const seen = Number(counter.lastHeaders('com.atproto.server.createSession')?.get('ratelimit-reset'))
    expect(until).toBe(seen * 1000)
    expect(seen - reset).toBeGreaterThanOrEqual(0)
    expect(seen - reset).toBeLessThanOrEqual(1)
    expect(until).toBeGreaterThan(started)
    expect(until).toBeLessThanOrEqual(started + 5 * 60_000 + 1000)
    expect(counter.count('com.atproto.server.createSession')).toBe(1)
  }, 120_000)
})
