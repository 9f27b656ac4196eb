import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { retryThread } from '../../queues/control.ts'
import { poolCard } from '../../queues/deps.ts'
import { refreshSessions } from '../../queues/housekeeping.ts'
import { type BlueskyPublisher, createBlueskyPublisher } from '../../src/platforms/bluesky.ts'
import { AmbiguousError } from '../../src/platforms/errors.ts'
import type { Publisher } from '../../src/platforms/publisher.ts'
import type { ComposedThread } from '../../src/threads/types.ts'
import { startTestPds, type TestPds } from '../pds/network.ts'
import { listPosts } from '../platforms/bluesky-helpers.ts'
import { publishDepsWith, redisDump, silent, useHarness } from './helpers.ts'

// The whole posting path on real parts: Redis, the card pool, the Bluesky publisher and a real PDS.
describe('queue → Bluesky (real PDS)', () => {
  let pds: TestPds
  let bluesky: BlueskyPublisher
  const h = useHarness()

  beforeAll(async () => {
    pds = await startTestPds({ area: 'queues-pds' })
    bluesky = await createBlueskyPublisher({
      service: pds.service,
      identifier: pds.handle,
      password: pds.password,
    })
  })
  afterAll(async () => {
    await bluesky?.close()
    await pds?.close()
  })

  it('posts a thread with its card and alt text, each part a reply to the one before; a lost reply is found, not posted twice', async () => {
    // The second part reaches the PDS, then the connection "drops": the worker cannot know it was posted.
    let calls = 0
    const flaky: Publisher = {
      name: 'bluesky',
      assignKeys: (t) => bluesky.assignKeys(t),
      findPosted: (p, c) => bluesky.findPosted(p, c),
      async postPart(part, ctx) {
        const ref = await bluesky.postPart(part, ctx)
        if (++calls === 2) throw new AmbiguousError('connection reset after the request was sent')
        return ref
      },
      close: async () => {},
    }
    // The real card, drawn in the process's card pool, instead of the stand-in.
    h.worker(flaky, { deps: { card: poolCard, cacheDir: `${h.dir}/cache` } })
    await h.schedule([{ quoteId: 'cicc-resources-mandate', at: Date.now(), platforms: ['bluesky'] }])
    const jobId = 'asp21.asp21-cicc-resources-mandate.bluesky'
    const failed = await h.settled(jobId, ['failed'], 'bluesky')
    expect(failed.failedReason).toMatch(/^unconfirmed: part 2/)
    expect(await listPosts(pds.reader, pds.did)).toHaveLength(2)

    await retryThread(h.q, 'cicc-resources-mandate')
    const done = await h.settled(jobId, ['completed'], 'bluesky')
    expect(done.returnvalue.outcome).toBe('posted')
    const posts = await listPosts(pds.reader, pds.did)
    // Three parts, three posts: part 2 was found by its record key, not created again.
    expect(posts).toHaveLength(3)
    const byUri = new Map(posts.map((p) => [p.uri, p.value]))
    const refs = done.returnvalue.refs
    expect(refs.map((r) => r.uri)).toEqual(done.data.posted.map((p) => p?.uri))
    const [first, second, third] = refs.map((r) => byUri.get(r.uri ?? ''))
    const embed = first?.embed as { images?: { alt: string; image: unknown }[] } | undefined
    expect(embed?.images?.[0]?.alt).toMatch(/\S{10,}/)
    const reply = (v: Record<string, unknown> | undefined) =>
      v?.reply as { root: { uri: string }; parent: { uri: string } } | undefined
    expect(reply(second)?.parent.uri).toBe(refs[0]?.uri)
    expect(reply(third)?.parent.uri).toBe(refs[1]?.uri)
    expect(reply(third)?.root.uri).toBe(refs[0]?.uri)
    // What Redis holds after a whole thread: ids, times and checkpoints, never the app password or the quote.
    const dump = await redisDump(h.q.prefix)
    expect(dump).toContain('cicc-resources-mandate')
    expect(dump.includes(pds.password)).toBe(false)
    expect(dump.includes('tortured, raped, and burned')).toBe(false)
  })

  it('housekeeping renews the Bluesky session without logging in again', async () => {
    const logins = bluesky.logins
    const deps = { ...publishDepsWith(bluesky), created: async () => [bluesky] }
    expect(await refreshSessions(deps, silent)).toBe(1)
    expect(bluesky.logins).toBe(logins)
    // The renewed session still posts: reading the account's records back works with it.
    expect(
      await bluesky.findPosted({ index: 0, text: 'x' }, { key: bluesky.assignKeys(threadOfOne())[0] ?? '' }),
    ).toBeNull()
  })
})

function threadOfOne(): ComposedThread {
  return {
    campaign: 'asp21',
    day: '2022-12-05',
    threadId: 't',
    quoteId: 'q',
    platform: 'bluesky',
    parts: [{ index: 0, text: 'x' }],
  }
}
