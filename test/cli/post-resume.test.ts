import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Checkpoint } from '../../queues/publish-thread.ts'
import { type FaultProxy, type ProxyMatch, startFaultProxy } from '../fault-proxy/proxy.ts'
import { startTestPds, type TestPds } from '../pds/network.ts'
import { listPosts } from '../platforms/bluesky-helpers.ts'
import { dropNamespace, REDIS_URL, testPrefix } from '../redis-namespace.ts'

const exec = promisify(execFile)

// Issue 14, Must show 2: `ngovoices post` posts through the worker's loop, with its checkpoint in Redis. Cut
// short after part 1, with part 2 taken by the PDS but its answer lost, the next `post` goes on as a job's
// retry does: part 1 is not posted again, part 2 is found by its record key, part 3 replies to it.
describe('ngovoices post --platform bluesky resumes a half-posted thread (real PDS)', () => {
  const dir = join('test', '.tmp', `post-resume-${randomBytes(4).toString('hex')}`)
  const prefix = testPrefix('post-resume')
  const redis = new Redis(REDIS_URL)
  let pds: TestPds
  let proxy: FaultProxy
  let env: NodeJS.ProcessEnv

  beforeAll(async () => {
    pds = await startTestPds({ area: 'post-resume' })
    proxy = await startFaultProxy(pds.service)
    env = {
      ...process.env,
      REDIS_URL,
      NGOVOICES_QUEUE_PREFIX: prefix,
      NGOVOICES_CACHE_DIR: join(dir, 'cache'),
      NGOVOICES_OUTBOX_DIR: join(dir, 'outbox'),
      BLUESKY_SERVICE: proxy.url,
      BLUESKY_HANDLE: pds.handle,
      BLUESKY_APP_PASSWORD: pds.password,
    }
  })
  afterAll(async () => {
    redis.disconnect()
    await dropNamespace(prefix)
    await proxy?.close()
    await pds?.close()
    await rm(dir, { recursive: true, force: true })
  })

  async function post(): Promise<{ code: number; stdout: string; stderr: string }> {
    const args = [
      'bin/ngovoices.mjs',
      'post',
      'cicc-resources-mandate',
      'fixtures/asp21',
      '--platform',
      'bluesky',
    ]
    try {
      return { code: 0, ...(await exec('node', args, { env })) }
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string }
      return { code: e.code, stdout: e.stdout, stderr: e.stderr }
    }
  }

  it('posts no part twice, chains the rest as replies, and every image has its alt text', async () => {
    const createRecord: ProxyMatch = { method: 'POST', path: 'com.atproto.repo.createRecord' }
    // Part 1 goes through; part 2 reaches the PDS and the connection drops before its answer comes back.
    let created = 0
    proxy.onCommit((r) => {
      if (r.method === 'POST' && r.path.includes('createRecord') && ++created === 1)
        proxy.failNext({ kind: 'drop-after-commit' }, createRecord)
    })
    const first = await post()
    expect(first.code).toBe(1)
    expect(first.stdout).toMatch(/^posted bluesky 1\/3 {2}https:\/\/bsky\.app\/profile\/.+\/post\/\S+$/m)
    expect(first.stderr).toMatch(/✗ bluesky 2\/3: .*\n {2}part 2 may or may not have been posted: /)
    expect(first.stderr).toContain('1 of 3 parts were posted')
    expect(first.stderr).not.toMatch(/\n\s+at /)
    expect(await listPosts(pds.reader, pds.did)).toHaveLength(2)

    // The checkpoint is in Redis, shaped as a job's: the keys, part 1, and part 2 marked as in flight.
    const keys = await redis.keys(`${prefix}:ngovoices:post:*`)
    expect(keys).toEqual([`${prefix}:ngovoices:post:bluesky:asp21.asp21-cicc-resources-mandate.bluesky`])
    const saved = JSON.parse((await redis.get(keys[0] ?? '')) ?? '{}') as Checkpoint
    expect(saved.keys).toHaveLength(3)
    expect(saved.inFlight).toBe(1)
    expect(saved.posted[0]?.uri).toMatch(/^at:\/\//)
    expect(saved.posted.slice(1)).toEqual([null, null])

    const seen = proxy.requests.length
    const second = await post()
    expect(second.stderr).toBe('')
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(/^already posted bluesky 1\/3 {2}https:/m)
    expect(second.stdout).toMatch(/^posted bluesky 2\/3 {2}https:/m)
    expect(second.stdout).toMatch(/^posted bluesky 3\/3 {2}https:/m)
    // As a job's retry does: part 2, in flight when the first run stopped, is looked up by its key and found;
    // having found one, it looks for part 3 too (not there: 400), and only part 3 is created.
    const calls = proxy.requests.slice(seen).filter((r) => /getRecord|createRecord/.test(r.path))
    expect(calls.map((r) => [r.path.split('.').pop(), r.status])).toEqual([
      ['getRecord', 200],
      ['getRecord', 400],
      ['createRecord', 200],
    ])
    // A whole thread leaves no checkpoint behind: posting the quote again later is a new thread.
    expect(await redis.keys(`${prefix}:ngovoices:post:*`)).toEqual([])

    const posts = await listPosts(pds.reader, pds.did)
    expect(posts).toHaveLength(3)
    // Each record under the key chosen before part 1: part 2 was found, not created a second time.
    const rkey = (uri: string) => uri.split('/').pop()
    expect(posts.map((p) => rkey(p.uri)).sort()).toEqual([...(saved.keys ?? [])].sort())
    const byKey = new Map(posts.map((p) => [rkey(p.uri), p]))
    const [one, two, three] = (saved.keys ?? []).map((k) => byKey.get(k))
    if (!one || !two || !three) throw new Error('a part is missing')
    expect(one.uri).toBe(saved.posted[0]?.uri)
    expect(new Set(posts.map((p) => p.value.text)).size).toBe(3)
    const reply = (p: { value: Record<string, unknown> }) =>
      p.value.reply as
        | { root: { uri: string; cid: string }; parent: { uri: string; cid: string } }
        | undefined
    expect(reply(one)).toBeUndefined()
    expect(reply(two)).toEqual({
      root: { uri: one.uri, cid: one.cid },
      parent: { uri: one.uri, cid: one.cid },
    })
    expect(reply(three)).toEqual({
      root: { uri: one.uri, cid: one.cid },
      parent: { uri: two.uri, cid: two.cid },
    })
    const images = posts.flatMap(
      (p) => (p.value.embed as { images?: { alt: string }[] } | undefined)?.images ?? [],
    )
    expect(images.length).toBeGreaterThan(0)
    for (const img of images) expect(img.alt).toMatch(/^Quote card: “\S/)
  })
})
