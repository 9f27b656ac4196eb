import { createHash } from 'node:crypto'
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from 'yaml'
import type { Campaign } from '../campaign/schema.ts'
import type { Quote } from '../quotes/schema.ts'
import { planText, readPlanSource, slotFields, writePlanText } from './plan-file.ts'
import { planCampaign } from './planner.ts'
import type { Plan, Slot } from './types.ts'

// @NOTE The board changes one thread at a time. plan.yaml is a file people edit, so a change rewrites only the
// lines of that thread (its day, time, locked and status; the order, comments and layout of everything else
// stay byte for byte), and only when the file is still the one the page showed (its version).

const NO_PLAN_VERSION = 'none'

/** A short fingerprint of plan.yaml's text: what the page shows and sends back with each change. */
export function planVersion(text: string | undefined): string {
  return text === undefined ? NO_PLAN_VERSION : createHash('sha256').update(text).digest('hex').slice(0, 16)
}

/** plan.yaml changed since the page read it (another staffer, an editor, `ngovoices plan`). */
export class StalePlanError extends Error {
  override name = 'StalePlanError'
  constructor(readonly current: string) {
    super('the plan was changed by someone else since this page loaded it')
  }
}

/** A change the planner's rules refuse, with the reason a person reads beside the thread. */
export class RefusedChange extends Error {
  override name = 'RefusedChange'
}

const EDITABLE = ['day', 'time', 'locked', 'status'] as const

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')
    ? String(node.value)
    : undefined
}

/**
 * The text with one slot's day, time, locked and status lines rewritten, every other byte as it was; undefined
 * when the slot is not written one key a line (a flow map, a value on a line of its own), and the caller writes
 * the whole file as `ngovoices plan` does.
 */
export function patchSlotText(text: string, after: Slot, zone: string, quote?: Quote): string | undefined {
  const lc = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lc })
  const top = doc.contents
  if (doc.errors.length > 0 || !isMap(top)) return undefined
  const slots = top.get('slots', true)
  if (!isSeq(slots)) return undefined
  const item = slots.items.find((i) => isMap(i) && scalarText(i.get('quote', true)) === after.quoteId)
  if (!isMap(item) || item.flow) return undefined
  const layout = slotLayout(item, lc)
  if (!layout) return undefined
  const fields = new Map(slotFields(after, zone, quote))
  const lines = text.split('\n')
  const missing: string[] = []
  for (const name of EDITABLE) {
    const rest = fields.get(name)
    if (rest === undefined) return undefined
    const pair = item.items.find((p) => scalarText(p.key) === name)
    if (!pair) {
      missing.push(`${name}: ${rest}`)
      continue
    }
    const from = lc.linePos((pair.key as Node).range?.[0] ?? 0)
    const end = (pair.value as Node | null)?.range?.[1]
    if (end === undefined || lc.linePos(Math.max(0, end - 1)).line !== from.line) return undefined
    const old = lines[from.line - 1] ?? ''
    lines[from.line - 1] = `${old.slice(0, from.col - 1)}${name}: ${rest}${old.endsWith('\r') ? '\r' : ''}`
  }
  const cr = (lines[layout.lastLine - 1] ?? '').endsWith('\r') ? '\r' : ''
  lines.splice(layout.lastLine, 0, ...missing.map((line) => `${layout.indent}${line}${cr}`))
  return lines.join('\n')
}

/** Where a slot's keys start (their indentation) and its last line; undefined when a pair has no position. */
function slotLayout(item: YAMLMap, lc: LineCounter): { indent: string; lastLine: number } | undefined {
  let indent = '    '
  let lastLine = 0
  for (const pair of item.items) {
    const start = (pair.key as Node | null)?.range?.[0]
    const end = (pair.value as Node | null)?.range?.[1] ?? (pair.key as Node | null)?.range?.[1]
    if (start === undefined || end === undefined) return undefined
    lastLine = Math.max(lastLine, lc.linePos(Math.max(start, end - 1)).line)
    // The first key follows "- "; every later key sits at the slot's indentation.
    if (scalarText(pair.key) !== 'thread') indent = ' '.repeat(lc.linePos(start).col - 1)
  }
  return { indent, lastLine }
}

/** plan.yaml as it is now, when it is still the version the page showed; StalePlanError when it is not. */
export async function readCurrentPlan(
  dir: string,
  campaign: Campaign,
  expected: string,
): Promise<{ plan: Plan; text: string } | undefined> {
  const source = await readPlanSource(dir, campaign.timezone)
  const version = planVersion(source?.text)
  if (version !== expected) throw new StalePlanError(version)
  return source
}

export interface SlotChange {
  before: Slot
  after: Slot
  /** The plan as written. */
  plan: Plan
  version: string
}

/**
 * Reads plan.yaml (or plans afresh when there is none yet), checks it is still `expected`, lets `decide` make
 * the new slot (it throws RefusedChange to refuse), and writes the change.
 */
export async function changeSlot(
  dir: string,
  campaign: Campaign,
  quotes: Quote[],
  expected: string,
  threadId: string,
  decide: (slot: Slot, plan: Plan) => Slot,
): Promise<SlotChange> {
  const source = await readCurrentPlan(dir, campaign, expected)
  const text = source?.text
  const plan = source?.plan ?? planCampaign(campaign, quotes)
  const before = plan.slots.find((s) => s.threadId === threadId || s.quoteId === threadId)
  if (!before) throw new RefusedChange(`${threadId} is not in the plan`)
  const after = decide(before, plan)
  const next: Plan = { ...plan, slots: plan.slots.map((s) => (s === before ? after : s)) }
  const quote = quotes.find((q) => q.id === after.quoteId)
  const written =
    (text !== undefined ? patchSlotText(text, after, campaign.timezone, quote) : undefined) ??
    planText(next, { quotes })
  await writePlanText(dir, written)
  return { before, after, plan: next, version: planVersion(written) }
}
