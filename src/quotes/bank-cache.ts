import { readdirSync, type Stats, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { type LoadedBank, loadBank, QUOTES_FILE } from './load.ts'

// @NOTE The worker reads the bank again for every thread it posts (consent may have changed) and the sweep every
// few minutes. At 10,000 quotes a load takes seconds and hundreds of MB (BENCHMARKS.md), so a process keeps the
// last load of each folder and reads again only when a bank file changed: name, size, inode, mtime and ctime
// of campaign.yaml and every quotes file. Callers share the result and must not change it.
// The look is synchronous: a readdir and two or three stats of local files take microseconds, and fs/promises
// sends each through the thread pool and back, which cost more than the calls (about 0.3 ms of CPU a look on this
// machine) and, with the cores busy, a wait for a thread each time: a worker looks once per thread it posts.

/** campaign.yaml and every quotes file of the folder, with what stat says of each (undefined: gone). */
function bankStats(dir: string) {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    names = []
  }
  return names
    .filter((f) => f === 'campaign.yaml' || QUOTES_FILE.test(f))
    .sort()
    .map((name) => ({ name, s: statOrGone(join(dir, name)) }))
}

function statOrGone(file: string): Stats | undefined {
  try {
    return statSync(file)
  } catch {
    return undefined
  }
}

function stamp(dir: string): string {
  return bankStats(dir)
    .map(({ name, s }) => (s ? `${name}:${s.size}:${s.ino}:${s.mtimeMs}:${s.ctimeMs}` : `${name}:gone`))
    .join('|')
}

/** When a bank file last changed (ms since the epoch; 0 for a folder without one). */
export async function lastBankChange(dir: string): Promise<number> {
  return Math.max(0, ...bankStats(dir).map(({ s }) => (s ? Math.max(s.mtimeMs, s.ctimeMs) : 0)))
}

export function cachedBankLoader(
  load: (dir: string) => Promise<LoadedBank> = loadBank,
): (dir: string) => Promise<LoadedBank> {
  const last = new Map<string, { stamp: string; bank: Promise<LoadedBank> }>()
  return async (dir) => {
    const now = stamp(dir)
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
