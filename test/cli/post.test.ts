import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import type { Queues } from '../../queues/queues.ts'
import { postThreads, prepareThreads } from '../../src/cli/post-thread.ts'
import { runForUser, userMistake } from '../../src/cli/user-errors.ts'
import { readConfig } from '../../src/config.ts'
import { createOutboxPublisher } from '../../src/platforms/outbox.ts'
import { listOutbox } from '../../src/platforms/outbox-files.ts'
import type { Publisher } from '../../src/platforms/publisher.ts'
import { type FakeX, startFakeX } from '../fake-x/server.ts'
import { xPublisherFor } from '../platforms/x-helpers.ts'
import { testQueues } from '../queues/helpers.ts'
import { dropNamespace, REDIS_URL, testPrefix } from '../redis-namespace.ts'

const exec = promisify(execFile)
const dir = join('test', '.tmp', `post-${randomBytes(4).toString('hex')}`)
const outbox = join(dir, 'outbox')
const prefix = testPrefix('post')
const env = {
  ...process.env,
  REDIS_URL,
  NGOVOICES_QUEUE_PREFIX: prefix,
  NGOVOICES_OUTBOX_DIR: outbox,
  NGOVOICES_CACHE_DIR: join(dir, 'cache'),
  NGOVOICES_PUBLISHER: 'outbox',
}
afterAll(async () => {
  await dropNamespace(prefix)
  await rm(dir, { recursive: true, force: true })
})

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec('node', ['bin/ngovoices.mjs', 'post', ...args], { env })
    return { code: 0, ...r }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

/** `post`'s options for a call in this process, with what it prints kept. */
function inProcess(quoteId: string, target: 'x' | 'bluesky', q: Queues, publisher: () => Promise<Publisher>) {
  const lines: string[] = []
  const errors: string[] = []
  const opts = {
    quoteId,
    dir: 'fixtures/asp21',
    target,
    dryRun: false,
    config: readConfig({ NGOVOICES_CACHE_DIR: join(dir, 'cache') }),
    out: (l: string) => lines.push(l),
    err: (l: string) => errors.push(l),
    publisher,
    q,
  }
  return { opts, lines, errors }
}

describe('ngovoices post', () => {
  it('--dry-run prints every post with its count and the alt text, and posts nothing', async () => {
    const r = await run(['ajar-philippines-resume', 'fixtures/asp21', '--platform', 'x', '--dry-run'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^asp21-ajar-philippines-resume on x: \d+ posts$/m)
    expect(r.stdout).toMatch(/── 1\/\d+ {2}\d+ \/ 280 {2}\+ image 1600×900/)
    expect(r.stdout).toMatch(/\[alt\] Quote card: “The ICC must resume/)
    expect(r.stdout).toContain(
      'https://www.coalitionfortheicc.org/news/20221130/ngovoices-21st-session-assembly-states-parties-icc',
    )
    expect(r.stdout.trim().endsWith('Dry run: nothing was posted.')).toBe(true)
    await expect(readdir(outbox)).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('refuses a quote without consent, an incomplete one, and an unknown id, with the reason and no stack', async () => {
    const pending = await run(['cicc-cooperation-investigations', 'fixtures/asp21', '--dry-run'])
    expect(pending.code).toBe(1)
    expect(pending.stderr).toMatch(
      /cicc-cooperation-investigations cannot be posted: consent is pending \(Shortened from the statement/,
    )
    const incomplete = await run(['burundi-resources', 'fixtures/asp21'])
    expect(incomplete.code).toBe(1)
    expect(incomplete.stderr).toMatch(/burundi-resources cannot be posted: marked incomplete/)
    const unknown = await run(['no-such-quote', 'fixtures/asp21'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(
      /no quote "no-such-quote" in fixtures\/asp21.*use one of: ajar-myanmar-prioritise/,
    )
    for (const r of [pending, incomplete, unknown]) expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('posts to the outbox by default: the thread for each platform, with the rendered card', async () => {
    const r = await run(['nur-rohingya-victim', 'fixtures/asp21'])
    expect(r.code).toBe(0)
    const threads = listOutbox(outbox)
    expect(threads.map((t) => t.platform)).toEqual(['x', 'bluesky'])
    expect(r.stdout.trim().split('\n')).toHaveLength(threads.reduce((n, t) => n + t.parts.length, 0))
    for (const t of threads) {
      const img = t.parts[0]?.image
      if (!img) throw new Error('no card')
      const meta = await sharp(join(t.folder, img.file)).metadata()
      expect([meta.format, meta.width, meta.height]).toEqual(['png', 1600, 900])
      expect(img.alt).toMatch(/^Quote card: “It is crucial/)
    }
  })

  it('posts to X part by part; a failure mid-thread says what was posted and what to do', async () => {
    const fake: FakeX = await startFakeX()
    const q = await testQueues()
    try {
      const { opts, lines, errors } = inProcess('alhaq-palestine-selectivity', 'x', q, () =>
        xPublisherFor(fake),
      )
      const threads = await prepareThreads(opts)
      expect(await postThreads(opts, threads)).toBe(0)
      const parts = threads[0]?.parts ?? []
      expect(fake.tweets.map((t) => t.text)).toEqual(parts.map((p) => p.text))
      expect(lines[0]).toMatch(
        new RegExp(`^posted x 1/${parts.length} {2}https://x.com/ngovoices_demo/status/\\d+$`),
      )

      // Again, with X failing on the second post: one posted, then the advice for a passing fault.
      fake.tweets.length = 0
      fake.failNext({ kind: 'server-error', status: 503 }, { path: /^\/2\/tweets$/, method: 'POST', skip: 1 })
      const n = await postThreads(opts, threads)
      expect(n).toBe(1)
      expect(errors.join('\n')).toMatch(
        /✗ x 2\/\d+: X: 503 Service Unavailable.*\n {2}part 2 failed for now: try again in a minute; 1 of \d+ parts were posted/,
      )
    } finally {
      await fake.close()
      await q.drop()
    }
  })

  it('a thread cut short resumes at its first unposted part, answering the parts already up', async () => {
    const fake: FakeX = await startFakeX()
    const q = await testQueues()
    try {
      const { opts, lines } = inProcess('ajar-philippines-resume', 'x', q, () => xPublisherFor(fake))
      const threads = await prepareThreads(opts)
      const n = threads[0]?.parts.length ?? 0
      expect(n).toBeGreaterThan(2)
      fake.failNext({ kind: 'server-error', status: 503 }, { path: /^\/2\/tweets$/, method: 'POST', skip: 1 })
      expect(await postThreads(opts, threads)).toBe(1)
      const first = fake.tweets[0]
      expect(fake.tweets).toHaveLength(1)

      // Resumed: part 1 is not sent again, and part 2 answers it.
      lines.length = 0
      expect(await postThreads(opts, threads)).toBe(0)
      expect(fake.tweets).toHaveLength(n)
      expect(fake.tweets[1]?.inReplyTo).toBe(first?.id)
      expect(lines[0]).toMatch(new RegExp(`^already posted x 1/${n} `))
    } finally {
      await fake.close()
      await q.drop()
    }
  })

  it('a TypeError from inside the posting path reaches the CLI boundary with its stack, not as a refusal', async () => {
    const q = await testQueues()
    try {
      const bug = new TypeError("Cannot read properties of undefined (reading 'cid')")
      const outboxFolder = join(dir, 'outbox-bug')
      // A publisher with a bug in it: the first part goes out, the second meets the TypeError.
      const { opts, lines, errors } = inProcess(
        'cicc-resources-mandate',
        'bluesky',
        q,
        async (): Promise<Publisher> => {
          const outbox = await createOutboxPublisher({ dir: outboxFolder })
          return {
            ...outbox,
            name: 'bluesky',
            assignKeys: (t) => outbox.assignKeys(t),
            findPosted: (p, c) => outbox.findPosted(p, c),
            close: () => outbox.close(),
            async postPart(part, ctx) {
              if (part.index === 1) throw bug
              return outbox.postPart(part, ctx)
            },
          }
        },
      )
      const threads = await prepareThreads(opts)
      await expect(runForUser(() => postThreads(opts, threads))).rejects.toBe(bug)
      expect(userMistake(bug)).toBeUndefined()
      expect(bug.stack).toMatch(/^TypeError: Cannot read properties of undefined \(reading 'cid'\)\n\s+at /)
      expect(errors).toEqual([])
      expect(lines).toEqual([expect.stringMatching(/^posted bluesky 1\/\d+ /)])
    } finally {
      await q.drop()
    }
  })
})
