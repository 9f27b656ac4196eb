import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { retryThread } from '../../queues/control.ts'
import type { XPublisher } from '../../src/platforms/x.ts'
import { type FakeX, startFakeX } from '../fake-x/server.ts'
import { pngCard, xPublisherFor } from '../platforms/x-helpers.ts'
import { useHarness } from './helpers.ts'

// The queue with the real X publisher (twitter-api-v2) against the local fake X: a real 429 with its reset
// header holds the queue, and a post whose answer was lost is looked up, not posted again.
describe('queue → X (fake X server)', () => {
  let fake: FakeX
  let x: XPublisher
  const h = useHarness()

  beforeAll(async () => {
    fake = await startFakeX()
    x = await xPublisherFor(fake, { timeoutMs: 2000 })
  })
  afterAll(async () => {
    await x?.close()
    await fake?.close()
  })
  const worker = async () => h.worker(x, { deps: { card: async () => pngCard('A quote card for the test') } })
  const nur = 'asp21.asp21-nur-rohingya-victim.x'
  const ajar = 'asp21.asp21-ajar-myanmar-prioritise.x'

  it('holds the queue until a 429 resets, then posts both threads without spending an attempt', async () => {
    const before = fake.tweets.length
    const reset = Math.ceil(Date.now() / 1000) + 2
    fake.failNext({ kind: 'rate-limit', reset, remaining: 0 }, { method: 'POST', path: '/2/tweets' })
    await worker()
    const t0 = Date.now()
    await h.schedule([
      { quoteId: 'nur-rohingya-victim', at: t0 },
      { quoteId: 'ajar-myanmar-prioritise', at: t0 + 100 },
    ])
    const first = await h.settled(nur, ['completed'])
    const second = await h.settled(ajar, ['completed'])
    expect([first.attemptsMade, second.attemptsMade]).toEqual([1, 1])
    // Nothing was posted before X's reset time.
    const posted = fake.tweets.slice(before)
    expect(posted.every((t) => Date.parse(t.createdAt) >= reset * 1000 - 50)).toBe(true)
    expect(posted.map((t) => t.id).sort()).toEqual(
      [...first.returnvalue.refs, ...second.returnvalue.refs].map((r) => r.id).sort(),
    )
    // Each thread is a chain of replies.
    const byId = new Map(posted.map((t) => [t.id, t]))
    for (const refs of [first.returnvalue.refs, second.returnvalue.refs])
      for (const [i, r] of refs.entries()) if (i > 0) expect(byId.get(r.id)?.inReplyTo).toBe(refs[i - 1]?.id)
  })

  it('marks a post whose answer was lost unconfirmed, and a retry finds it instead of posting it twice', async () => {
    const before = fake.tweets.length
    // The first part is created, then the connection closes before X answers.
    fake.failNext({ kind: 'drop-after-commit' }, { method: 'POST', path: /\/2\/tweets$/ })
    await worker()
    await h.schedule([{ quoteId: 'ajar-philippines-resume', at: Date.now() }])
    const jobId = 'asp21.asp21-ajar-philippines-resume.x'
    const failed = await h.settled(jobId, ['failed'])
    expect(failed.failedReason).toMatch(/^unconfirmed: part 1 may or may not have been posted/)
    expect(fake.tweets.length - before).toBe(1)
    await retryThread(h.q, 'ajar-philippines-resume')
    const done = await h.settled(jobId, ['completed'])
    const posted = fake.tweets.slice(before)
    // Every part once: the lost first part was found among the account's recent posts and kept.
    expect(posted.map((t) => t.id)).toEqual(done.returnvalue.refs.map((r) => r.id))
    expect(posted.length).toBeGreaterThan(1)
  })
})
