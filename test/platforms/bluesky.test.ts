import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { type AtpSessionData, BlobRef } from '@atproto/api'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BlueskySecrets, readConfig } from '../../src/config.ts'
import { type BlueskyPublisher, createBlueskyPublisher } from '../../src/platforms/bluesky.ts'
import { fileSessionStore } from '../../src/platforms/bluesky-session-store.ts'
import { blueskySessionFile, createPublisher } from '../../src/platforms/index.ts'
import type { PostedRef } from '../../src/platforms/publisher.ts'
import type { CardImage, ComposedThread } from '../../src/threads/types.ts'
import { startTestPds, type TestAccount, type TestPds } from '../pds/network.ts'
import {
  byteRange,
  cardImage,
  contextFor,
  countingFetch,
  facetText,
  listPosts,
  type PostRecord,
  threadOf,
} from './bluesky-helpers.ts'

// The Bluesky publisher against a real PDS (dev-env, bound to 127.0.0.1): what it posts is read back
// with listRecords / getRecord and checked field by field.

let pds: TestPds
let partner: TestAccount
let card: CardImage

beforeAll(async () => {
  pds = await startTestPds({ area: 'bluesky' })
  partner = await pds.createAccount('hagueforum')
  card = await cardImage('Victims at the heart of the Court')
})
afterAll(async () => {
  await pds?.close()
})

const secrets = (): BlueskySecrets => ({
  service: pds.service,
  identifier: pds.handle,
  password: pds.password,
})

/** Post (or find) every part in order, as the queue's processor does after a restart. */
async function runThread(
  pub: BlueskyPublisher,
  thread: ComposedThread,
  keys: string[],
): Promise<PostedRef[]> {
  const refs: PostedRef[] = []
  for (const part of thread.parts) {
    const ctx = contextFor(keys, refs, part.index)
    refs.push((await pub.findPosted(part, ctx)) ?? (await pub.postPart(part, ctx)))
  }
  return refs
}

function byKey(records: PostRecord[], key: string): PostRecord {
  const found = records.filter((r) => r.uri.endsWith(`/app.bsky.feed.post/${key}`))
  expect(found).toHaveLength(1)
  const [record] = found
  if (!record) throw new Error(`no record ${key}`)
  return record
}

interface SeenFacet {
  text: string
  range: { byteStart: number; byteEnd: number }
  feature: Record<string, unknown>
}

/** Each facet as a reader sees it: the bytes it covers (sliced from the UTF-8 text) and its feature. */
function seenFacets(record: PostRecord): SeenFacet[] {
  const text = String(record.value.text)
  const facets = (record.value.facets ?? []) as {
    index: SeenFacet['range']
    features: Record<string, unknown>[]
  }[]
  return facets.map((f) => {
    expect(f.features).toHaveLength(1)
    const { $type, ...rest } = f.features[0] ?? {}
    return {
      text: facetText(text, f.index),
      range: { byteStart: f.index.byteStart, byteEnd: f.index.byteEnd },
      feature: { $type, ...rest },
    }
  })
}

const link = (text: string, uri: string): SeenFacet => ({
  text: uri,
  range: byteRange(text, uri),
  feature: { $type: 'app.bsky.richtext.facet#link', uri },
})
const tag = (text: string, name: string): SeenFacet => ({
  text: `#${name}`,
  range: byteRange(text, `#${name}`),
  feature: { $type: 'app.bsky.richtext.facet#tag', tag: name },
})
const mention = (text: string, handle: string, did: string): SeenFacet => ({
  text: `@${handle}`,
  range: byteRange(text, `@${handle}`),
  feature: { $type: 'app.bsky.richtext.facet#mention', did },
})

describe('Bluesky publisher on a real PDS', () => {
  it('posts a whole thread with its card: text, facets at the right bytes, alt text, aspect ratio, reply refs', async () => {
    const pub = await createBlueskyPublisher(secrets())
    const url0 = 'https://www.coalitionfortheicc.org/asp21'
    const url2 = 'https://www.coalitionfortheicc.org/news/asp21-statement'
    const texts = [
      `“Victims must be at the heart of the Court.” في لاهاي 🇳🇱🕊️ ${url0} #NGOVoices #ASP21`,
      `👩🏽‍⚖️ ما زلنا هنا — a statement with @${partner.handle} at the Assembly of States Parties. #ASP21`,
      `Read the full statement 👉 ${url2} #NGOVoices`,
      `Thanks to @nobody-here.test for hosting 🙏🏽 #NGOVoices`,
    ] as const
    const thread = threadOf([
      { text: texts[0], image: card, langs: ['en', 'ar'] },
      { text: texts[1] },
      { text: texts[2] },
      { text: texts[3] },
    ])
    const keys = pub.assignKeys(thread)
    expect(new Set(keys).size).toBe(4)

    const refs = await runThread(pub, thread, keys)
    const records = await listPosts(pds.reader, pds.did)
    const posted = keys.map((k) => byKey(records, k))

    expect(posted.map((r) => r.value.text)).toEqual([...texts])
    expect(posted.map((r) => r.value.langs)).toEqual([['en', 'ar'], undefined, undefined, undefined])
    expect(posted.map(seenFacets)).toEqual([
      [link(texts[0], url0), tag(texts[0], 'NGOVoices'), tag(texts[0], 'ASP21')],
      [mention(texts[1], partner.handle, partner.did), tag(texts[1], 'ASP21')],
      [link(texts[2], url2), tag(texts[2], 'NGOVoices')],
      // @nobody-here.test resolves to no one: plain text, never a mention with a handle for a DID.
      [tag(texts[3], 'NGOVoices')],
    ])
    // The multi-byte text before the facets is what makes byte offsets differ from string indices.
    expect(byteRange(texts[0], url0).byteStart).toBeGreaterThan(texts[0].indexOf(url0))

    // The card: an image embed with its alt text and aspect ratio, and the blob is the PNG we gave.
    const embed = posted[0]?.value.embed as {
      $type: string
      images: { alt: string; aspectRatio: unknown; image: BlobRef }[]
    }
    expect(embed.$type).toBe('app.bsky.embed.images')
    expect(embed.images).toHaveLength(1)
    const image = embed.images[0]
    expect(image?.alt).toBe(card.alt)
    expect(image?.aspectRatio).toEqual({ width: 1200, height: 675 })
    expect(image?.image).toBeInstanceOf(BlobRef)
    expect(image?.image.mimeType).toBe('image/png')
    expect(image?.image.size).toBe(card.data.byteLength)
    const blob = await pds.reader.com.atproto.sync.getBlob({ did: pds.did, cid: String(image?.image.ref) })
    expect(Buffer.from(blob.data).equals(Buffer.from(card.data))).toBe(true)
    for (const r of posted.slice(1)) expect(r.value.embed).toBeUndefined()

    // Replies: root is always the first post, parent the one just before; both strong refs match the repo.
    const strong = (r: PostRecord) => ({ uri: r.uri, cid: r.cid })
    expect(posted[0]?.value.reply).toBeUndefined()
    for (let i = 1; i < posted.length; i++) {
      const [first, before, current] = [posted[0], posted[i - 1], posted[i]]
      if (!first || !before || !current) throw new Error('missing record')
      expect(current.value.reply).toEqual({ root: strong(first), parent: strong(before) })
    }
    expect(refs.map((r) => ({ uri: r.uri, cid: r.cid }))).toEqual(posted.map(strong))
    expect(refs[0]?.url).toBe(`https://bsky.app/profile/${pds.handle}/post/${keys[0]}`)
  })

  it('resumes after a crash between parts: only the missing parts are posted, none twice', async () => {
    const thread = threadOf([
      { text: 'Part one of a thread that crashes #NGOVoices', image: card },
      { text: 'Part two, posted before the crash #ASP21' },
      { text: 'Part three, after the restart' },
      { text: 'Part four, after the restart' },
    ])
    const first = await createBlueskyPublisher(secrets())
    const keys = first.assignKeys(thread) // stored in the job before the first attempt
    const before = (await listPosts(pds.reader, pds.did)).length
    const early: PostedRef[] = []
    for (const part of thread.parts.slice(0, 2))
      early.push(await first.postPart(part, contextFor(keys, early, part.index)))
    await first.close() // the worker dies here, before checkpointing part two

    const counter = countingFetch()
    const second = await createBlueskyPublisher(secrets(), { fetch: counter.fetch })
    const refs = await runThread(second, thread, keys)
    expect(counter.count('com.atproto.repo.createRecord')).toBe(2)
    expect(refs.slice(0, 2)).toEqual(early)

    const records = await listPosts(pds.reader, pds.did)
    expect(records.length - before).toBe(4)
    const posted = keys.map((k) => byKey(records, k))
    expect(posted.map((r) => r.value.text)).toEqual(thread.parts.map((p) => p.text))
    expect(posted[3]?.value.reply).toEqual({
      root: { uri: posted[0]?.uri, cid: posted[0]?.cid },
      parent: { uri: posted[2]?.uri, cid: posted[2]?.cid },
    })

    // A third run finds everything and posts nothing; postPart on a taken key hands back the post that is there.
    const again = countingFetch()
    const third = await createBlueskyPublisher(secrets(), { fetch: again.fetch })
    expect(await runThread(third, thread, keys)).toEqual(refs)
    const part1 = thread.parts[1]
    if (!part1) throw new Error('no part 1')
    expect(await third.postPart(part1, contextFor(keys, refs, 1))).toEqual(refs[1])
    expect((await listPosts(pds.reader, pds.did)).length - before).toBe(4)
    expect(again.count('com.atproto.repo.createRecord')).toBe(1) // the refused one, answered from getRecord
  })

  it('logs in once for many posts, refreshes without logging in, resumes a stored session, recovers from a revoked one', async () => {
    const lines: string[] = []
    const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) })
    const file = join(pds.dir, 'state', 'bluesky-session.json')
    const store = fileSessionStore(file)
    const stored = async (): Promise<AtpSessionData> => JSON.parse(await readFile(file, 'utf8'))

    const counter = countingFetch()
    const pub = await createBlueskyPublisher(secrets(), { fetch: counter.fetch, store, logger })
    const thread = threadOf(
      Array.from({ length: 6 }, (_, i) => ({ text: `Session reuse, post ${i + 1} #NGOVoices` })),
    )
    await runThread(pub, thread, pub.assignKeys(thread))
    expect(counter.count('com.atproto.repo.createRecord')).toBe(6)
    expect(counter.count('com.atproto.server.createSession')).toBe(1)
    expect(pub.logins).toBe(1)
    expect((await stat(file)).mode & 0o777).toBe(0o600)

    // (Booleans, not the tokens themselves, so a failing run prints no token.)
    const first = await stored()
    await pub.refresh()
    expect(counter.count('com.atproto.server.refreshSession')).toBe(1)
    expect(counter.count('com.atproto.server.createSession')).toBe(1)
    expect((await stored()).refreshJwt !== first.refreshJwt).toBe(true)

    // A restarted process resumes the stored session: no createSession at all.
    const restarted = countingFetch()
    const pub2 = await createBlueskyPublisher(secrets(), { fetch: restarted.fetch, store, logger })
    const single = threadOf([{ text: 'Posted by a process that resumed its session' }])
    await runThread(pub2, single, pub2.assignKeys(single))
    expect(restarted.count('com.atproto.server.createSession')).toBe(0)
    expect(restarted.count('com.atproto.repo.createRecord')).toBe(1)
    expect(pub2.logins).toBe(0)

    // Someone revokes the session (e.g. signs out everywhere): the next refresh logs in again, once.
    const revoked = await stored()
    await pds.reader.com.atproto.server.deleteSession(undefined, {
      headers: { authorization: `Bearer ${revoked.refreshJwt}` },
    })
    await pub2.refresh()
    expect(pub2.logins).toBe(1)
    expect(restarted.count('com.atproto.server.createSession')).toBe(1)
    const after = threadOf([{ text: 'Posted after the session was revoked and renewed' }])
    await runThread(pub2, after, pub2.assignKeys(after))
    expect(restarted.count('com.atproto.repo.createRecord')).toBe(2)

    // Tokens and the app password never reach a log line, even when someone logs the publisher itself.
    logger.info({ publisher: pub2 }, 'publisher in a log line')
    const log = lines.join('\n')
    expect(log).toContain(pds.handle)
    expect(log).toContain('bluesky: logged in')
    const latest = await stored()
    for (const secret of [
      pds.password,
      first.accessJwt,
      first.refreshJwt,
      latest.accessJwt,
      latest.refreshJwt,
    ]) {
      expect(typeof secret === 'string' && secret.length > 10 && !log.includes(secret)).toBe(true)
    }
  })

  it('createPublisher keeps the session in NGOVOICES_CACHE_DIR, so the next process resumes it without a login', async () => {
    const config = readConfig({
      NGOVOICES_CACHE_DIR: join(pds.dir, 'state', 'config-cache'),
      BLUESKY_SERVICE: pds.service,
      BLUESKY_HANDLE: pds.handle,
      BLUESKY_APP_PASSWORD: pds.password,
    })
    const first = (await createPublisher('bluesky', config)) as BlueskyPublisher
    expect(first.logins).toBe(1)
    expect((await stat(blueskySessionFile(config))).mode & 0o777).toBe(0o600)
    await first.close()
    const second = (await createPublisher('bluesky', config)) as BlueskyPublisher
    expect(second.logins).toBe(0)
    const single = threadOf([{ text: 'Posted by a publisher built from the config, session resumed' }])
    const [ref] = await runThread(second, single, second.assignKeys(single))
    expect(ref?.url).toMatch(/^https:\/\/bsky\.app\/profile\//)
    await second.close()
  })
})
