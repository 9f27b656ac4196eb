import { appendFile, readFile } from 'node:fs/promises'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import type { PlanChanges } from './changes.ts'

// @NOTE Who changed what in the week, beside plan.yaml, one line per change, tab-separated so it reads in a
// terminal and opens in a spreadsheet: UTC time, who, what, from, to. Appended (never rewritten), so two writers
// at once lose nothing. "Who" is the name a staffer gave on the page, or the OS user for the CLI.

export const CHANGE_LOG = 'plan-changes.log'

export interface Change {
  /** UTC instant, ISO 8601. */
  at: string
  who: string
  what: string
  from: string
  to: string
}

const clean = (s: string): string => s.replace(/[\t\r\n]+/g, ' ').trim()

export async function logChange(dir: string, change: Omit<Change, 'at'>, at = new Date()): Promise<void> {
  const line = [at.toISOString().replace(/\.\d{3}Z$/, 'Z'), change.who, change.what, change.from, change.to]
    .map(clean)
    .join('\t')
  await appendFile(join(dir, CHANGE_LOG), `${line}\n`, 'utf8')
}

/** The newest `limit` changes, newest first; none when there is no log yet. */
export async function recentChanges(dir: string, limit: number): Promise<Change[]> {
  const text = await readFile(join(dir, CHANGE_LOG), 'utf8').catch(() => '')
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-limit)
    .reverse()
    .map((l) => {
      const [at = '', who = '', what = '', from = '', to = ''] = l.split('\t')
      return { at, who, what, from, to }
    })
}

/** The CLI's "who": the OS user, or a plain word when the system has none to give. */
export function cliUser(): string {
  try {
    return `${userInfo().username} (command line)`
  } catch {
    return 'command line'
  }
}

/** What a re-plan did, one line per thread that moved or was placed (the board's "Re-plan the rest" and `plan`). */
export async function logPlanChanges(
  dir: string,
  who: string,
  what: string,
  changes: PlanChanges,
  shown: (at: string) => string,
): Promise<void> {
  for (const m of changes.moved)
    await logChange(dir, { who, what: `${what}: moved ${m.threadId}`, from: shown(m.from), to: shown(m.to) })
  for (const id of changes.added)
    await logChange(dir, { who, what: `${what}: placed ${id}`, from: '', to: 'planned' })
  for (const id of changes.removed)
    await logChange(dir, { who, what: `${what}: dropped ${id}`, from: 'planned', to: '' })
  if (changes.moved.length + changes.added.length + changes.removed.length === 0)
    await logChange(dir, { who, what, from: '', to: 'nothing moved' })
}
