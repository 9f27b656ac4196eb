import { randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { readIfPresent } from '../core/files.ts'
import type { Facet } from '../threads/types.ts'

// @NOTE The outbox on disk: <outboxDir>/<campaign>/<day>/<threadId>.<platform>/NN-<run>.json (+ .png/.jpg) and a
// thread.md a person can read. A part exists once its JSON does: files are written to a temp name and renamed,
// so a crash never leaves half a part that findPosted would count as posted.
// The calls are synchronous: a part is a few small local files, and fs/promises pays several thread-pool round
// trips per file (open, stat, read, close), which cost more than the I/O. Posting a 3-part thread took 4–5 ms of
// CPU that way and 1.7 ms this way (200 threads posted in a loop), CPU the worker's other lane waits for in a burst.

export interface OutboxPart {
  key: string
  campaign: string
  day: string
  threadId: string
  platform: string
  /** One posting of the thread (one assignKeys call); a thread posted twice shows as two runs. */
  run: string
  index: number
  text: string
  facets?: Facet[]
  image?: { file: string; mime: string; width: number; height: number; alt: string }
  /** Key of the part this one replies to. */
  replyTo?: string
  postedAt: string
  /** Milliseconds since the epoch, then a per-process counter: the order parts were posted in. */
  postedAtMs: number
  seq: number
}

export interface OutboxThread {
  campaign: string
  day: string
  threadId: string
  platform: string
  run: string
  folder: string
  parts: OutboxPart[]
}

export function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  writeFileSync(tmp, data)
  renameSync(tmp, file)
}

/** The names in a folder (only its folders if asked); none if it does not exist (yet). */
function list(path: string, onlyFolders = false): string[] {
  try {
    const entries = readdirSync(path, { withFileTypes: true })
    return entries.filter((e) => !onlyFolders || e.isDirectory()).map((e) => e.name)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}

export function readPart(file: string): OutboxPart | undefined {
  const bytes = readIfPresent(file)
  return bytes && (JSON.parse(bytes.toString('utf8')) as OutboxPart)
}

/** Every part in one thread folder, in posting order; `known` parts (by file name) are not read again. */
export function readFolder(folder: string, known: ReadonlyMap<string, OutboxPart> = new Map()): OutboxPart[] {
  const names = list(folder).filter((n) => /^\d{2}-[a-z0-9]+\.json$/.test(n))
  const parts = names.map((n) => known.get(n) ?? readPart(join(folder, n)))
  return parts.filter((p): p is OutboxPart => p !== undefined).sort(byPosting)
}

function byPosting(a: OutboxPart, b: OutboxPart): number {
  return a.postedAtMs - b.postedAtMs || a.seq - b.seq || a.index - b.index
}

/** Every thread posted to the outbox (each run of it), in the order their first parts were posted. */
export function listOutbox(outboxDir: string): OutboxThread[] {
  const threads: OutboxThread[] = []
  for (const campaign of list(outboxDir, true))
    for (const day of list(join(outboxDir, campaign), true))
      for (const name of list(join(outboxDir, campaign, day), true)) {
        const folder = join(outboxDir, campaign, day, name)
        const runs = new Map<string, OutboxPart[]>()
        for (const part of readFolder(folder)) runs.set(part.run, [...(runs.get(part.run) ?? []), part])
        for (const [run, parts] of runs) {
          const first = parts[0]
          if (!first) continue
          parts.sort((a, b) => a.index - b.index)
          threads.push({
            campaign,
            day,
            threadId: first.threadId,
            platform: first.platform,
            run,
            folder,
            parts,
          })
        }
      }
  const firstPosted = (t: OutboxThread) => t.parts.reduce((m, p) => (byPosting(p, m) < 0 ? p : m))
  return threads.sort((a, b) => byPosting(firstPosted(a), firstPosted(b)))
}

const LIMIT_UNITS: Record<string, string> = { x: '280 characters (weighted)', bluesky: '300 graphemes' }

/** The thread as a person reads it, rewritten after every part. */
export function threadMarkdown(parts: readonly OutboxPart[], counts: (p: OutboxPart) => string): string {
  const first = parts[0]
  if (!first) return ''
  const runs = [...new Set(parts.map((p) => p.run))]
  const lines = [
    `# ${first.threadId} · ${first.platform}`,
    '',
    `Campaign ${first.campaign}, ${first.day}. Written by the outbox publisher: nothing was sent anywhere.`,
    `Limit per post: ${LIMIT_UNITS[first.platform] ?? '?'}.`,
  ]
  if (runs.length > 1)
    lines.push(
      '',
      `**Posted ${runs.length} times** (runs ${runs.join(', ')}): a real account would show each.`,
    )
  for (const run of runs) {
    const own = parts.filter((p) => p.run === run).sort((a, b) => a.index - b.index)
    if (runs.length > 1) lines.push('', `## Run ${run}`)
    for (const p of own) {
      lines.push('', `### Post ${p.index + 1} · ${counts(p)} · ${p.postedAt}`, '')
      lines.push(...p.text.split('\n').map((l) => `> ${l}`.trimEnd()))
      if (p.image)
        lines.push(
          '',
          `![${p.image.alt.replace(/[[\]]/g, '')}](${p.image.file})`,
          '',
          `Alt text: ${p.image.alt}`,
        )
    }
  }
  return `${lines.join('\n')}\n`
}

export function ensureDir(path: string): void {
  mkdirSync(path, { recursive: true })
}
