import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fromRoot } from '../core/project-root.ts'
import { bankFiles, type LoadedBank, loadBank } from './load.ts'

// @NOTE Loading a bank of 10,000 quotes takes about a second (read, parse, schema, rules), so what a load gives
// is kept on disk as JSON (about 50 ms to read back) under a hash of every byte that decides it: the bank's
// files, the folder and working directory (messages show paths relative to it), and the code that reads them
// (every source file and the lockfile). Any change to any of those is a miss and a full load; nothing is ever
// stale. The JSON is written in ASCII, every other character as a \u escape: read back as latin1 it costs a
// copy, where decoding UTF-8 with a few non-ASCII characters in it took as long as JSON.parse itself.

interface Stored {
  campaign: LoadedBank['campaign']
  quotes: LoadedBank['quotes']
  problems: LoadedBank['problems']
  locations: [string, { file: string; line: number; col: number }][]
}

let code: Promise<string> | undefined

/** JSON.stringify, with every character beyond ASCII written as a \u escape (surrogate halves one by one). */
const asciiJson = (value: unknown) =>
  JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )

/** A hash of the program itself: the code tree this file is part of (src/, or dist/src/ when built), and the
 * locked dependency versions. */
function codeFingerprint(): Promise<string> {
  code ??= (async () => {
    const src = fileURLToPath(new URL('..', import.meta.url))
    const h = createHash('sha256')
    const files = (await readdir(src, { recursive: true })).filter((f) => /\.(tsx?|js|mjs)$/.test(f)).sort()
    for (const f of files) h.update(f).update(await readFile(join(src, f)))
    h.update(await readFile(fromRoot('package-lock.json')).catch(() => Buffer.from('no lockfile')))
    return h.digest('hex')
  })()
  return code
}

/** Files of one folder share a prefix, so a new load can drop the folder's older ones. */
const folderPrefix = (dir: string) =>
  createHash('sha256').update(process.cwd()).update(resolve(dir)).digest('hex').slice(0, 12)

async function bankKey(dir: string): Promise<string> {
  const h = createHash('sha256')
    .update(await codeFingerprint())
    .update(process.cwd())
    .update(resolve(dir))
  const { files } = await bankFiles(dir)
  for (const f of [join(dir, 'campaign.yaml'), ...files]) {
    const bytes = await readFile(f).catch(() => undefined)
    h.update(f)
      .update(bytes ? `${bytes.length}:` : 'missing')
      .update(bytes ?? '')
  }
  return h.digest('hex').slice(0, 40)
}

/** loadBank, answered from `cacheDir` when the same bytes were loaded before by the same code. */
export async function loadBankCached(dir: string, cacheDir: string): Promise<LoadedBank> {
  const prefix = folderPrefix(dir)
  const folder = join(cacheDir, 'banks')
  const file = join(folder, `${prefix}-${await bankKey(dir)}.json`)
  const hit = await readFile(file, 'latin1').catch(() => undefined)
  if (hit) {
    const s = JSON.parse(hit) as Stored
    return {
      dir,
      campaign: s.campaign,
      quotes: s.quotes,
      problems: s.problems,
      locations: new Map(s.locations),
    }
  }
  // A broken campaign throws here, as it always did, and nothing is stored.
  const bank = await loadBank(dir)
  const stored: Stored = {
    campaign: bank.campaign,
    quotes: bank.quotes,
    problems: bank.problems,
    locations: [...bank.locations],
  }
  await mkdir(folder, { recursive: true })
  // Written under a temporary name then renamed: a reader never sees half a file.
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  // ASCII throughout, so written as latin1: a byte per character, where encoding it as UTF-8 cost a third as
  // much again as making it (10,000 quotes, a 15 MB string).
  await writeFile(tmp, asciiJson(stored), 'latin1')
  await rename(tmp, file)
  // One stored load per folder: the one just written (at 10,000 quotes each is ~15 MB).
  for (const old of await readdir(folder))
    if (old.startsWith(`${prefix}-`) && old.endsWith('.json') && join(folder, old) !== file)
      await rm(join(folder, old), { force: true })
  return bank
}
