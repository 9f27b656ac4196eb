import { randomBytes } from 'node:crypto'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { countPost, POST_LIMITS } from '../threads/count.ts'
import type { ComposedThread, ThreadPart } from '../threads/types.ts'
import { PermanentError, RetryableError } from './errors.ts'
import {
  ensureDir,
  type OutboxPart,
  readFolder,
  readPart,
  threadMarkdown,
  writeAtomic,
} from './outbox-files.ts'
import type { PostContext, PostedRef, Publisher } from './publisher.ts'

// The default publisher: needs no account, writes each thread as it would be posted (see outbox-files.ts).
// Idempotent like the real ones: a part's key names its file, so asking again after a crash finds it.

export interface OutboxPublisher extends Publisher {
  readonly name: 'outbox'
  readonly dir: string
}

// <campaign>/<day>/<threadId>.<platform>/<NN>-<run>: no segment can climb out of the outbox folder.
const KEY =
  /^([a-z0-9-]+)\/(\d{4}-\d{2}-\d{2})\/([A-Za-z0-9_-][A-Za-z0-9._-]*)\.(x|bluesky)\/(\d{2})-([a-z0-9]+)$/

interface ParsedKey {
  campaign: string
  day: string
  threadId: string
  platform: 'x' | 'bluesky'
  index: number
  run: string
  folder: string
  stem: string
}

let seq = 0

export function createOutboxPublisher(opts: { dir: string }): OutboxPublisher {
  const dir = resolve(opts.dir)

  function parse(key: string): ParsedKey {
    const m = KEY.exec(key)
    const [, campaign, day, threadId, platform, nn, run] = m ?? []
    if (!campaign || !day || !threadId || !nn || !run || (platform !== 'x' && platform !== 'bluesky'))
      throw new PermanentError(
        `outbox: "${key}" is not an outbox key (was it assigned by another publisher?)`,
      )
    const folder = join(dir, campaign, day, `${threadId}.${platform}`)
    return { campaign, day, threadId, platform, index: Number(nn) - 1, run, folder, stem: `${nn}-${run}` }
  }

  function ref(k: ParsedKey, key: string): PostedRef {
    return { id: key, url: pathToFileURL(join(k.folder, 'thread.md')).href }
  }

  function findPosted(key: string): PostedRef | null {
    const k = parse(key)
    const found = readPart(join(k.folder, `${k.stem}.json`))
    return found?.key === key ? ref(k, key) : null
  }

  return {
    name: 'outbox',
    dir,
    assignKeys(thread: ComposedThread): string[] {
      if (thread.parts.length > 99) throw new PermanentError('outbox: a thread has at most 99 parts')
      const run = randomBytes(4).toString('hex')
      return thread.parts.map(
        (p) =>
          `${thread.campaign}/${thread.day}/${thread.threadId}.${thread.platform}/${String(p.index + 1).padStart(2, '0')}-${run}`,
      )
    },
    findPosted: async (_part: ThreadPart, ctx: PostContext) => findPosted(ctx.key),
    async postPart(part: ThreadPart, ctx: PostContext): Promise<PostedRef> {
      const k = parse(ctx.key)
      if (k.index !== part.index)
        throw new PermanentError(
          `outbox: key ${ctx.key} is for part ${k.index + 1}, not part ${part.index + 1}`,
        )
      if (part.index > 0 && !ctx.parent)
        throw new PermanentError(`outbox: part ${part.index + 1} has no parent to reply to`)
      // The same key twice is the same post: a retry after a lost answer must not write a second one.
      const already = findPosted(ctx.key)
      if (already) return already
      try {
        ensureDir(k.folder)
        let image: OutboxPart['image']
        if (part.image) {
          const file = `${k.stem}.${part.image.mime === 'image/jpeg' ? 'jpg' : 'png'}`
          writeAtomic(join(k.folder, file), part.image.data)
          const { mime, width, height, alt } = part.image
          image = { file, mime, width, height, alt }
        }
        const now = Date.now()
        const record: OutboxPart = {
          key: ctx.key,
          campaign: k.campaign,
          day: k.day,
          threadId: k.threadId,
          platform: k.platform,
          run: k.run,
          index: part.index,
          text: part.text,
          ...(part.facets ? { facets: part.facets } : {}),
          ...(image ? { image } : {}),
          ...(ctx.parent ? { replyTo: ctx.parent.id } : {}),
          postedAt: new Date(now).toISOString(),
          postedAtMs: now,
          seq: seq++,
        }
        const json = `${k.stem}.json`
        writeAtomic(join(k.folder, json), `${JSON.stringify(record, null, 2)}\n`)
        // The part just written is not read back; the others (earlier parts, earlier runs) are.
        const all = readFolder(k.folder, new Map([[json, record]]))
        const platform = k.platform
        const md = threadMarkdown(all, (p) => `${countPost(platform, p.text)} / ${POST_LIMITS[platform]}`)
        writeAtomic(join(k.folder, 'thread.md'), md)
      } catch (err) {
        // A full disk or a permission problem: nothing half-written counts as posted, so trying again is safe.
        if (err instanceof PermanentError) throw err
        throw new RetryableError(`outbox: could not write part ${part.index + 1} under ${k.folder}`, {
          cause: err,
        })
      }
      return ref(k, ctx.key)
    },
    async close() {},
  }
}
