import { readdir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { type LoadedBank, loadBank, QUOTES_FILE } from './load.ts'

// @NOTE The worker reads the bank again for every thread it posts (consent may have changed) and the sweep every
// few minutes. At 10,000 quotes a load takes seconds and hundreds of MB (BENCHMARKS.md), so a process keeps the
// last load of each folder and reads again only when a bank file changed: name, size, inode, mtime and ctime
// of campaign.yaml and every quotes file. Callers share the result and must not change it.

/** campaign.yaml and every quotes file of the folder, with what stat says of each (undefined: gone). */
async function bankStats(dir: string) {
  const names = (await readdir(dir).catch(() => [] as string[]))
    .filter((f) => f === 'campaign.yaml' || QUOTES_FILE.test(f))
    .sort()
  return Promise.all(
    names.map(async (name) => ({ name, s: await stat(join(dir, name)).catch(() => undefined) })),
  )
}

async function stamp(dir: string): Promise<string> {
  return (await bankStats(dir))
    .map(({ name, s }) => (s ? `${name}:${s.size}:${s.ino}:${s.mtimeMs}:${s.ctimeMs}` : `${name}:gone`))
    .join('|')
}

/** When a bank file last changed (ms since the epoch; 0 for a folder without one). */
export async function lastBankChange(dir: string): Promise<number> {
  return Math.max(0, ...(await bankStats(dir)).map(({ s }) => (s ? Math.max(s.mtimeMs, s.ctimeMs) : 0)))
}

export function cachedBankLoader(
  load: (dir: string) => Promise<LoadedBank> = loadBank,
): (dir: string) => Promise<LoadedBank> {
  const last = new Map<string, { stamp: string; bank: Promise<LoadedBank> }>()
  return async (dir) => {
    const now = await stamp(dir)
    // One folder, however it is named: a job's folder comes resolved, a command's as the person typed it.
    const key = resolve(dir)
    const hit = last.get(key)
    if (hit && hit.stamp === now) return hit.bank
    const bank = load(dir)
    last.set(key, { stamp: now, bank })
    // A load that failed (the folder is gone, the campaign is broken) is tried again next time.
    bank.catch(() => {
      if (last.get(key)?.bank === bank) last.delete(key)
    })
    return bank
  }
}
