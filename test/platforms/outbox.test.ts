import { randomBytes } from 'node:crypto'
import { readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { cardAlt } from '../../src/cards/index.ts'
import { readConfig } from '../../src/config.ts'
import { createPublisher } from '../../src/platforms/index.ts'
import { createOutboxPublisher } from '../../src/platforms/outbox.ts'
import { listOutbox } from '../../src/platforms/outbox-files.ts'
import type { PostedRef, Publisher } from '../../src/platforms/publisher.ts'
import { loadBank } from '../../src/quotes/load.ts'
import { composeThread } from '../../src/threads/compose.ts'
import { countPost, POST_LIMITS } from '../../src/threads/count.ts'
import type { CardImage, ComposedThread } from '../../src/threads/types.ts'

const dir = join('test', '.tmp', `outbox-${randomBytes(4).toString('hex')}`)
afterAll(() => rm(dir, { recursive: true, force: true }))

async function postAll(pub: Publisher, thread: ComposedThread): Promise<PostedRef[]> {
  const keys = pub.assignKeys(thread)
  const refs: PostedRef[] = []
  for (const part of thread.parts) {
    const root = refs[0]
    const parent = refs[part.index - 1]
    refs.push(
      await pub.postPart(part, {
        key: keys[part.index] ?? '',
        ...(root ? { root } : {}),
        ...(parent ? { parent } : {}),
      }),
    )
  }
  return refs
}

async function tinyCard(alt: string): Promise<CardImage> {
  const data = await sharp({ create: { width: 16, height: 9, channels: 3, background: '#123456' } })
    .png()
    .toBuffer()
  return { data: new Uint8Array(data), mime: 'image/png', width: 16, height: 9, alt }
}

describe('outbox publisher', () => {
  it('holds a readable thread for every quote of the sample bank, on both platforms, in posting order', async () => {
    const bank = await loadBank('fixtures/asp21')
    const out = join(dir, 'asp21')
    const pub = createOutboxPublisher({ dir: out })
    const posted: ComposedThread[] = []
    for (const quote of bank.quotes)
      for (const platform of ['x', 'bluesky'] as const) {
        const card = await tinyCard(cardAlt(quote, bank.campaign))
        const thread = composeThread({
          quote,
          campaign: bank.campaign,
          platform,
          day: '2022-12-05',
          threadId: `asp21-${quote.id}`,
          card,
        })
        await postAll(pub, thread)
        posted.push(thread)
      }
    const listed = listOutbox(out)
    expect(listed.map((t) => `${t.threadId}.${t.platform}`)).toEqual(
      posted.map((t) => `${t.threadId}.${t.platform}`),
    )
    for (const [i, t] of listed.entries()) {
      const composed = posted[i]
      if (!composed) throw new Error('missing thread')
      expect(t.parts.map((p) => p.text)).toEqual(composed.parts.map((p) => p.text))
      for (const p of t.parts)
        expect(countPost(composed.platform, p.text)).toBeLessThanOrEqual(POST_LIMITS[composed.platform])
      // Each reply points at the part before it; the first carries the card, decodable, with its alt text.
      expect(t.parts.slice(1).map((p) => p.replyTo)).toEqual(t.parts.slice(0, -1).map((p) => p.key))
      const img = t.parts[0]?.image
      if (!img) throw new Error(`${t.threadId}: no image on the first post`)
      expect(img.alt).toBe(composed.parts[0]?.image?.alt)
      expect(img.alt.length).toBeGreaterThan(20)
      const meta = await sharp(join(t.folder, img.file)).metadata()
      expect([meta.format, meta.width, meta.height]).toEqual(['png', 16, 9])
      const md = await readFile(join(t.folder, 'thread.md'), 'utf8')
      for (const p of composed.parts) for (const line of p.text.split('\n')) expect(md).toContain(line)
      expect(md).toContain(`Alt text: ${img.alt}`)
      expect(md).not.toMatch(/Posted \d+ times/)
      // Nothing but the parts, their card and the page: no temp file left behind.
      const files = await readdir(t.folder)
      expect(files.filter((f) => f.includes('.tmp-'))).toEqual([])
      expect(files).toHaveLength(t.parts.length + 2)
    }
    const nur = listed.find((t) => t.threadId === 'asp21-nur-rohingya-victim' && t.platform === 'x')
    expect(nur?.parts[0]?.text).toMatch(
      /^Nur, a Rohingya victim, Asia Justice and Rights, on Bangladesh\/Myanmar:/,
    )
    const alhaq = listed.find((t) => t.threadId === 'asp21-alhaq-palestine-selectivity')
    expect(alhaq?.parts[0]?.text).toContain('Al-Haq (@alhaq_org)')
  })

  it('is idempotent by key: a part posted again, or found after a crash, is the same post', async () => {
    const bank = await loadBank('fixtures/asp21')
    const quote = bank.quotes[0]
    if (!quote) throw new Error('empty bank')
    const out = join(dir, 'again')
    const pub = createOutboxPublisher({ dir: out })
    const thread = composeThread({
      quote,
      campaign: bank.campaign,
      platform: 'bluesky',
      day: '2022-12-06',
      threadId: 't1',
      card: await tinyCard('A card'),
    })
    const keys = pub.assignKeys(thread)
    const [p0, p1] = thread.parts
    if (!p0 || !p1) throw new Error('thread too short')
    expect(await pub.findPosted(p0, { key: keys[0] ?? '' })).toBeNull()
    const first = await pub.postPart(p0, { key: keys[0] ?? '' })
    expect(await pub.findPosted(p0, { key: keys[0] ?? '' })).toEqual(first)
    expect(await pub.postPart(p0, { key: keys[0] ?? '' })).toEqual(first)
    await pub.postPart(p1, { key: keys[1] ?? '', root: first, parent: first })
    const listed = listOutbox(out)
    expect(listed).toHaveLength(1)
    expect(listed[0]?.parts.map((p) => p.index)).toEqual([0, 1])
    // A second posting of the same thread (new keys) is recorded as such, not hidden.
    await postAll(pub, thread)
    expect(listOutbox(out).map((t) => t.threadId)).toEqual(['t1', 't1'])
    const md = await readFile(join(listed[0]?.folder ?? '', 'thread.md'), 'utf8')
    expect(md).toContain('**Posted 2 times**')
  })

  it('refuses a key it did not assign, so no file lands outside the outbox', async () => {
    const pub = createOutboxPublisher({ dir: join(dir, 'keys') })
    const part = { index: 0, text: 'hello' }
    await expect(pub.postPart(part, { key: '../../etc/01-abc' })).rejects.toMatchObject({
      name: 'PermanentError',
    })
    await expect(pub.findPosted(part, { key: 'asp21/2022-12-05/../x.x/01-ab' })).rejects.toMatchObject({
      name: 'PermanentError',
    })
  })
})

describe('createPublisher', () => {
  it('gives the outbox with no credentials, and a clear permanent error for a platform without them', async () => {
    const config = readConfig({ NGOVOICES_OUTBOX_DIR: join(dir, 'factory') })
    const outbox = await createPublisher('outbox', config)
    expect(outbox.name).toBe('outbox')
    await expect(createPublisher('x', config)).rejects.toMatchObject({
      name: 'PermanentError',
      message: expect.stringMatching(/X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN and X_ACCESS_SECRET/),
    })
    await expect(createPublisher('bluesky', config)).rejects.toMatchObject({
      name: 'PermanentError',
      message: expect.stringMatching(/BLUESKY_HANDLE and BLUESKY_APP_PASSWORD/),
    })
  })
})
