import { rename, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { readIfPresent } from '../core/files.ts'
import { lazyCrypto } from '../core/lazy-builtins.ts'
import { inZone, localClock, localDay } from '../core/time.ts'
import type { Quote } from '../quotes/schema.ts'
import { orgKey } from './eligibility.ts'
import { parsePlanText } from './plan-parse.ts'
import type { Plan, Slot } from './types.ts'

// @NOTE plan.yaml is for people: local day and time in the campaign's zone are what staff edit, the UTC
// instant rides along as a comment (so there is never a second, contradicting copy of a slot's time).
export const PLAN_FILE = 'plan.yaml'

/** Reads `<dir>/plan.yaml`; undefined when there is none yet. Bad edits throw InputError with file:line. */
export async function readPlanFile(dir: string, timezone: string): Promise<Plan | undefined> {
  return (await readPlanSource(dir, timezone))?.plan
}

/** The plan and the text it was read from (the board's version is a fingerprint of that text). */
export async function readPlanSource(
  dir: string,
  timezone: string,
): Promise<{ plan: Plan; text: string } | undefined> {
  const file = join(dir, PLAN_FILE)
  const text = await readPlanText(dir)
  if (text === undefined) return undefined
  return { plan: parsePlanText(text, relative(process.cwd(), file) || file, timezone), text }
}

async function readPlanText(dir: string): Promise<string | undefined> {
  return readIfPresent(join(dir, PLAN_FILE))?.toString('utf8')
}

export interface PlanFileContext {
  /** The bank, so each slot can name its organisation and priority in a comment. */
  quotes?: Quote[]
}

export async function writePlanFile(dir: string, plan: Plan, context: PlanFileContext = {}): Promise<string> {
  return writePlanText(dir, planText(plan, context))
}

/** Writes plan.yaml as given: beside and renamed, so a watcher (the preview page) never reads half a file. */
export async function writePlanText(dir: string, text: string): Promise<string> {
  const file = join(dir, PLAN_FILE)
  const tmp = `${file}.${process.pid}.${lazyCrypto().randomBytes(4).toString('hex')}.tmp`
  await writeFile(tmp, text, 'utf8')
  await rename(tmp, file)
  return file
}

const str = (s: string): string => JSON.stringify(s)

export function planText(plan: Plan, context: PlanFileContext = {}): string {
  const zone = plan.timezone
  const quotes = new Map((context.quotes ?? []).map((q) => [q.id, q]))
  const lines = [
    `# Posting plan for ${plan.campaign}, written by \`ngovoices plan\`. Staff may edit it; days and times are`,
    `# local to ${zone}. The comment after each time is the same moment in UTC (for reference only).`,
    '#',
    '#   move a thread   change its `day` (YYYY-MM-DD) and/or `time` (HH:mm, 24-hour), and set `locked: true`',
    '#                   (an unlocked slot stays where you put it only while it breaks no planning rule)',
    '#   lock a thread   `locked: true`: re-planning never moves it',
    '#   drop a thread   `status: cancelled`: it stays dropped on every re-plan; set `status: planned` again',
    '#                   (or delete the entry) to let the planner place it anew. Deleting alone does NOT drop it.',
    '#   posted          `status: posted` is history: leave it.',
    '#',
    '# Then run `ngovoices plan` (re-plan, keeping your edits) or `ngovoices schedule` (queue it as it stands).',
    '# `unplaced` and `warnings` are rewritten on every re-plan; editing them changes nothing.',
    `campaign: ${plan.campaign}`,
    `timezone: ${zone}`,
  ]
  lines.push(plan.slots.length === 0 ? 'slots: []' : 'slots:')
  for (const s of [...plan.slots].sort(
    (a, b) => a.at.localeCompare(b.at) || a.threadId.localeCompare(b.threadId),
  )) {
    lines.push(...slotLines(s, zone, quotes.get(s.quoteId)))
  }
  lines.push(plan.unplaced.length === 0 ? 'unplaced: []' : 'unplaced:')
  for (const u of plan.unplaced) lines.push(`  - quote: ${u.quoteId}`, `    reason: ${str(u.reason)}`)
  const warnings = plan.warnings ?? []
  lines.push(warnings.length === 0 ? 'warnings: []' : 'warnings:')
  for (const w of warnings) lines.push(`  - ${str(w)}`)
  return `${lines.join('\n')}\n`
}

function slotLines(s: Slot, zone: string, quote: Quote | undefined): string[] {
  return slotFields(s, zone, quote).map(([key, rest], i) => `${i === 0 ? '  - ' : '    '}${key}: ${rest}`)
}

/** Each field of a slot as written in plan.yaml: the key, then its value and comment. */
export function slotFields(s: Slot, zone: string, quote: Quote | undefined): [string, string][] {
  const local = inZone(s.at, zone)
  const about = quote ? `  # ${orgKey(quote)}, priority ${quote.priority}` : ''
  return [
    ['thread', s.threadId],
    ['quote', `${s.quoteId}${about}`],
    ['day', `${localDay(s.at, zone)}  # ${local.setLocale('en-GB').toFormat('cccc')}`],
    ['time', `"${localClock(s.at, zone)}"  # ${s.at} (${local.setLocale('en-GB').toFormat('ZZZZ')})`],
    ['platforms', `[${s.platforms.join(', ')}]`],
    ['locked', String(s.locked)],
    ['status', s.status],
  ]
}
