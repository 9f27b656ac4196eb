import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PostedRef } from '../../src/platforms/publisher.ts'
import { loadBank } from '../../src/quotes/load.ts'
import { composeThread } from '../../src/threads/compose.ts'
import { type FakeX, startFakeX } from '../fake-x/server.ts'
import { ctxFor, part, pngCard, xPublisherFor } from './x-helpers.ts'

describe('X publisher (real twitter-api-v2 against a fake X)', () => {
  let fake: FakeX
  beforeEach(async () => {
    fake = await startFakeX()
  })
  afterEach(() => fake.close())

  it('uploads the card in chunks, sets its alt text, then posts each part as a reply to the one before', async () => {
    const bank = await loadBank('fixtures/asp21')
    const quote = bank.quotes.find((q) => q.id === 'alhaq-palestine-selectivity')
    if (!quote) throw new Error('sample quote missing')
    const card = await pngCard('Quote card: Al-Haq on Palestine')
    const thread = composeThread({
      quote,
      campaign: bank.campaign,
      platform: 'x',
      day: '2022-12-05',
      threadId: 't-alhaq',
      card,
    })
    const pub = await xPublisherFor(fake)
    const keys = pub.assignKeys(thread)
    const refs: PostedRef[] = []
    for (const p of thread.parts) refs.push(await pub.postPart(p, ctxFor(keys[p.index] ?? '', refs, p.index)))

    // Every request was signed for the address it really went to.
    expect(fake.requests.filter((r) => r.authProblem)).toEqual([])
    const seq = fake.requests.map((r) => `${r.method} ${r.path.replace(/\d{6,}/g, ':id')}`)
    expect(seq).toEqual([
      'GET /2/users/me',
      'POST /2/media/upload/initialize',
      'POST /2/media/upload/:id/append',
      'POST /2/media/upload/:id/finalize',
      'POST /2/media/metadata',
      ...thread.parts.map(() => 'POST /2/tweets'),
    ])
    const [, init, append, , meta, ...posts] = fake.requests
    expect(init?.body).toEqual({
      media_type: 'image/png',
      total_bytes: card.data.length,
      media_category: 'tweet_image',
    })
    expect(append?.body).toMatchObject({ segment_index: '0', media: { size: card.data.length } })
    const mediaId = fake.media.keys().next().value
    expect(meta?.body).toEqual({ id: mediaId, metadata: { alt_text: { text: card.alt } } })
    // The bytes X received are the card's, and the alt text is on that media.
    const stored = fake.media.get(String(mediaId))
    expect(Buffer.concat(stored?.bytes ?? [])).toEqual(Buffer.from(card.data))
    expect(stored?.alt).toBe(card.alt)
    expect(posts[0]?.body).toEqual({ text: thread.parts[0]?.text, media: { media_ids: [mediaId] } })
    for (const [i, r] of posts.entries()) {
      if (i === 0) continue
      expect(r.body).toEqual({
        text: thread.parts[i]?.text,
        reply: { in_reply_to_tweet_id: refs[i - 1]?.id },
      })
    }
    // What the account now shows: the whole thread, in order, each a reply to the one before.
    expect(fake.tweets.map((t) => t.text)).toEqual(thread.parts.map((p) => p.text))
    expect(fake.tweets.slice(1).map((t) => t.inReplyTo)).toEqual(fake.tweets.slice(0, -1).map((t) => t.id))
    expect(refs[0]?.url).toBe(`https://x.com/${fake.user.username}/status/${fake.tweets[0]?.id}`)
  })

  it('429 with x-rate-limit-reset is rate limited until that instant, for a post and for an upload', async () => {
    const pub = await xPublisherFor(fake)
    const reset = Math.floor(Date.now() / 1000) + 600
    fake.failNext({ kind: 'rate-limit', reset }, { path: '/2/tweets' })
    const err = await pub.postPart(part(0, 'first'), { key: 'k0' }).catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'RateLimitedError', until: new Date(reset * 1000) })
    fake.failNext({ kind: 'rate-limit', reset: reset + 60 }, { path: 'initialize' })
    const up = await pub
      .postPart(part(0, 'with card', await pngCard('alt')), { key: 'k1' })
      .catch((e: unknown) => e)
    expect(up).toMatchObject({ name: 'RateLimitedError', until: new Date((reset + 60) * 1000) })
    expect(fake.tweets).toEqual([])
  })

  it('403 duplicate content is permanent when the part was never sent', async () => {
    const pub = await xPublisherFor(fake)
    fake.failNext({ kind: 'duplicate' }, { path: '/2/tweets' })
    await expect(pub.postPart(part(0, 'never sent'), { key: 'k' })).rejects.toMatchObject({
      name: 'PermanentError',
      message: expect.stringMatching(
        /403 Forbidden: You are not allowed to create a Tweet with duplicate content/,
      ),
    })
    expect(fake.tweets).toEqual([])
  })

  it('a post that landed but whose answer was lost is ambiguous; asked again, X says duplicate and we get the same post', async () => {
    const pub = await xPublisherFor(fake)
    const text = 'Justice & <accountability> for all: https://example.org/statement?a=1&b=2'
    const first = await pub.postPart(part(0, 'Hook', await pngCard('alt')), { key: 'k0' })
    fake.failNext({ kind: 'drop-after-commit' }, { path: '/2/tweets' })
    const ctx = { key: 'k1', root: first, parent: first }
    await expect(pub.postPart(part(1, text), ctx)).rejects.toMatchObject({ name: 'AmbiguousError' })
    expect(fake.tweets).toHaveLength(2)
    // The retry looks first (the queue calls findPosted for the in-flight part): found, through t.co and &amp;.
    const found = await pub.findPosted(part(1, text), ctx)
    expect(found?.id).toBe(fake.tweets[1]?.id)
    // Even without that look, posting again gets X's duplicate refusal, which is checked against the account.
    expect(await pub.postPart(part(1, text), ctx)).toEqual(found)
    expect(fake.tweets).toHaveLength(2)
    // The same words replying elsewhere are not the same post.
    expect(await pub.findPosted(part(1, text), { key: 'k9', root: first, parent: { id: '42' } })).toBeNull()
  })

  it('a connection dropped after the request was sent is ambiguous; looking finds nothing and posting again works', async () => {
    const pub = await xPublisherFor(fake)
    fake.failNext({ kind: 'drop' }, { path: '/2/tweets' })
    await expect(pub.postPart(part(0, 'dropped'), { key: 'k' })).rejects.toMatchObject({
      name: 'AmbiguousError',
    })
    expect(await pub.findPosted(part(0, 'dropped'), { key: 'k' })).toBeNull()
    const ref = await pub.postPart(part(0, 'dropped'), { key: 'k' })
    expect(fake.tweets.map((t) => t.id)).toEqual([ref.id])
  })

  it('a post slower than the time limit is ambiguous, not failed', async () => {
    const pub = await xPublisherFor(fake, { timeoutMs: 300 })
    fake.failNext({ kind: 'slow', ms: 1500 }, { path: '/2/tweets' })
    await expect(pub.postPart(part(0, 'slow'), { key: 'k' })).rejects.toMatchObject({
      name: 'AmbiguousError',
    })
    // It did land: the look before posting again finds it.
    expect((await pub.findPosted(part(0, 'slow'), { key: 'k' }))?.id).toBe(fake.tweets[0]?.id)
  })

  it('5xx is retryable (post and upload), and nothing is posted', async () => {
    const pub = await xPublisherFor(fake)
    fake.failNext({ kind: 'server-error', status: 503 }, { path: '/2/tweets' })
    await expect(pub.postPart(part(0, 'busy'), { key: 'k' })).rejects.toMatchObject({
      name: 'RetryableError',
    })
    fake.failNext({ kind: 'server-error', status: 500 }, { path: 'finalize' })
    await expect(pub.postPart(part(0, 'busy', await pngCard('alt')), { key: 'k' })).rejects.toMatchObject({
      name: 'RetryableError',
    })
    expect(fake.tweets).toEqual([])
  })

  it('refused credentials are permanent, at start and mid-thread; a refused connection is retryable', async () => {
    await expect(xPublisherFor(fake, { secrets: { accessSecret: 'wrong' } })).rejects.toMatchObject({
      name: 'PermanentError',
      message: expect.stringMatching(/X refused the credentials \(401/),
    })
    const pub = await xPublisherFor(fake)
    fake.failNext({ kind: 'auth' }, { path: '/2/tweets' })
    await expect(pub.postPart(part(0, 'x'), { key: 'k' })).rejects.toMatchObject({ name: 'PermanentError' })
    await fake.close()
    await expect(pub.postPart(part(0, 'x'), { key: 'k' })).rejects.toMatchObject({ name: 'RetryableError' })
    fake = await startFakeX()
  })

  it('never shows its secrets in a log line', async () => {
    const pub = await xPublisherFor(fake)
    const logged = JSON.stringify({ pub })
    for (const secret of Object.values(fake.credentials)) expect(logged).not.toContain(secret)
    expect(logged).toContain(fake.user.username)
  })

  it('looks a part up page by page among the posts since the job first ran, as X serves them', async () => {
    const pub = await xPublisherFor(fake, { lookback: 5, lookbackPages: 3 })
    const first = await pub.postPart(part(0, 'The part the worker lost track of'), { key: 'k0' })
    // Eight more posts since: the part is now on the second page of five.
    for (let i = 1; i <= 8; i++)
      await pub.postPart(part(0, `Another thread's first post, number ${i}`), { key: `k${i}` })
    const since = Date.now() - 60_000
    expect(
      await pub.findPosted(part(0, 'The part the worker lost track of'), { key: 'k0', notBefore: since }),
    ).toEqual(first)
    const lookups = fake.requests.filter((r) => r.path.endsWith('/tweets') && r.method === 'GET')
    expect(
      lookups.map((r) => [
        r.query.pagination_token,
        // RFC 3339 to the second, as X takes it.
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(r.query.start_time ?? ''),
      ]),
    ).toEqual([
      [undefined, true],
      ['5', true],
    ])
    // Posts from before the job's first run are not looked at.
    expect(
      await pub.findPosted(part(0, 'The part the worker lost track of'), {
        key: 'k0',
        notBefore: Date.now() + 10 * 60_000,
      }),
    ).toBeNull()
  })
})
