import { XRPCError } from '@atproto/api'
import { describe, expect, it } from 'vitest'
import { rateLimitReset, toPublishError } from '../../src/platforms/bluesky-errors.ts'
import {
  AmbiguousError,
  PermanentError,
  RateLimitedError,
  RetryableError,
} from '../../src/platforms/errors.ts'
import { detectFacets, facetProblem, mergeFacets } from '../../src/threads/facets.ts'
import type { Facet } from '../../src/threads/types.ts'
import { byteRange, facetText } from './bluesky-helpers.ts'

// The pure parts of the Bluesky publisher: facet detection and error classification.

describe('detectFacets', () => {
  it('gives UTF-8 byte ranges after Arabic, flags and emoji, and returns mentions apart as handles', () => {
    const text =
      'في لاهاي 🇳🇱👩🏽‍⚖️ statement: https://example.org/asp21, with @Hague-Forum.test. #NGOVoices #ASP21!'
    const { facets, mentions } = detectFacets(text)
    expect(facets).toEqual([
      {
        index: byteRange(text, 'https://example.org/asp21'),
        features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://example.org/asp21' }],
      },
      {
        index: byteRange(text, '#NGOVoices'),
        features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'NGOVoices' }],
      },
      {
        index: byteRange(text, '#ASP21'),
        features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'ASP21' }],
      },
    ])
    expect(mentions).toEqual([{ handle: 'hague-forum.test', index: byteRange(text, '@Hague-Forum.test') }])
    expect(facets.map((f) => facetText(text, f.index))).toEqual([
      'https://example.org/asp21',
      '#NGOVoices',
      '#ASP21',
    ])
  })

  it('finds nothing in plain text, and no mention in an e-mail address', () => {
    expect(detectFacets('Write to press@example.org today')).toEqual({ facets: [], mentions: [] })
  })
})

describe('facetProblem and mergeFacets', () => {
  const text = 'في لاهاي #ASP21'
  const tag = (byteStart: number, byteEnd: number): Facet => ({
    index: { byteStart, byteEnd },
    features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'ASP21' }],
  })
  it('accepts good ranges and names what is wrong with bad ones', () => {
    const good = byteRange(text, '#ASP21')
    expect(facetProblem(text, [tag(good.byteStart, good.byteEnd)])).toBeUndefined()
    expect(facetProblem(text, [tag(1, 4)])).toMatch(/cuts a character/)
    expect(facetProblem(text, [tag(good.byteStart, good.byteEnd + 1)])).toMatch(/outside the text/)
    expect(facetProblem(text, [tag(4, 4)])).toMatch(/empty/)
    expect(facetProblem(text, [tag(0, 4), tag(2, 5)])).toMatch(/overlaps/)
    const handle: Facet = {
      index: { byteStart: 0, byteEnd: 4 },
      features: [{ $type: 'app.bsky.richtext.facet#mention', did: 'someone.test' }],
    }
    expect(facetProblem(text, [handle])).toMatch(/not a DID/)
    expect(facetProblem(text, [handle], { handlesAllowed: true })).toBeUndefined()
  })
  it('sorts facets and drops one that overlaps an earlier one', () => {
    expect(mergeFacets([tag(10, 12), tag(0, 4), tag(2, 6)])).toEqual([tag(0, 4), tag(10, 12)])
  })
})

describe('toPublishError', () => {
  const now = Date.parse('2022-12-05T09:00:00Z')
  const network = (code: string) =>
    new XRPCError(1, undefined, 'fetch failed', undefined, {
      cause: new TypeError('fetch failed', { cause: Object.assign(new Error('socket'), { code }) }),
    })

  it('429 → RateLimitedError until ratelimit-reset (epoch seconds)', () => {
    const reset = now / 1000 + 120
    const err = toPublishError(
      new XRPCError(429, 'RateLimitExceeded', 'slow down', { 'ratelimit-reset': String(reset) }),
      'write',
      'post',
      now,
    )
    expect(err).toBeInstanceOf(RateLimitedError)
    expect((err as RateLimitedError).until.getTime()).toBe(reset * 1000)
    expect(rateLimitReset({ 'retry-after': '30' }, now).getTime()).toBe(now + 30_000)
    expect(rateLimitReset(undefined, now).getTime()).toBe(now + 60_000)
  })

  it('a request that never left is retryable; one cut after sending is ambiguous only for a write', () => {
    expect(toPublishError(network('ECONNREFUSED'), 'write', 'post')).toBeInstanceOf(RetryableError)
    expect(toPublishError(network('UND_ERR_SOCKET'), 'write', 'post')).toBeInstanceOf(AmbiguousError)
    expect(toPublishError(network('ECONNRESET'), 'write', 'post')).toBeInstanceOf(AmbiguousError)
    expect(toPublishError(network('UND_ERR_SOCKET'), 'read', 'check')).toBeInstanceOf(RetryableError)
    expect(toPublishError(network('UND_ERR_SOCKET'), 'upload', 'upload')).toBeInstanceOf(RetryableError)
    const timeout = new XRPCError(1, undefined, 'timeout', undefined, {
      cause: new DOMException('timed out', 'TimeoutError'),
    })
    expect(toPublishError(timeout, 'write', 'post')).toBeInstanceOf(AmbiguousError)
  })

  it('classifies server answers by status and error name', () => {
    const cases: [XRPCError, 'login' | 'read' | 'write', unknown][] = [
      [new XRPCError(400, 'InvalidRecord', 'bad'), 'write', PermanentError],
      [new XRPCError(413, 'PayloadTooLarge'), 'write', PermanentError],
      [
        new XRPCError(401, 'AuthenticationRequired', 'Invalid identifier or password'),
        'login',
        PermanentError,
      ],
      [new XRPCError(401, 'AccountTakedown'), 'write', PermanentError],
      [new XRPCError(400, 'ExpiredToken'), 'write', RetryableError],
      [new XRPCError(500, 'InternalServerError'), 'write', RetryableError],
      [new XRPCError(503, 'NotEnoughResources'), 'read', RetryableError],
      [new XRPCError(502, 'UpstreamFailure'), 'write', AmbiguousError],
      [new XRPCError(504, 'UpstreamTimeout'), 'read', RetryableError],
    ]
    for (const [err, op, type] of cases)
      expect(toPublishError(err, op, 'x'), `${err.status} ${err.error}`).toBeInstanceOf(type)
  })

  it('keeps the cause and leaves our own errors as they are', () => {
    const cause = new XRPCError(400, 'InvalidRecord')
    expect(toPublishError(cause, 'write', 'post').cause).toBe(cause)
    const own = new PermanentError('already classified')
    expect(toPublishError(own, 'write', 'post')).toBe(own)
  })
})
