import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from 'yaml'
import { InputError, type Problem } from '../core/problem.ts'
import { isValidZone, localToUtc, wallTime, wallTimeProblem } from '../core/time.ts'
import { PLATFORMS, type Platform } from '../quotes/schema.ts'
import type { Plan, Slot, SlotStatus, Unplaced } from './types.ts'

// @NOTE Every bad edit is reported at once, each with its line and the fix, so staff fix the file in one go.

const STATUSES: readonly SlotStatus[] = ['planned', 'posted', 'cancelled']
const SLOT_KEYS = ['thread', 'quote', 'day', 'time', 'platforms', 'locked', 'status']
const TOP_KEYS = ['campaign', 'timezone', 'slots', 'unplaced', 'warnings']

export function parsePlanText(text: string, file: string, timezone: string): Plan {
  const lc = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lc })
  const problems: Problem[] = []
  const report: Report = (node, message, fix, severity = 'error') => {
    const pos = lc.linePos(node?.range?.[0] ?? 0)
    problems.push({ file, line: pos.line, col: pos.col, message, fix, severity })
  }
  if (doc.errors.length > 0) {
    throw new InputError(
      doc.errors.map((e) => ({
        file,
        line: e.linePos?.[0].line ?? 1,
        col: e.linePos?.[0].col ?? 1,
        message: e.message.split('\n')[0] ?? 'YAML syntax error',
        fix: 'fix the YAML syntax (indentation, a missing colon or quote)',
        severity: 'error' as const,
      })),
    )
  }
  const top = doc.contents
  if (!isMap(top)) {
    report(
      top,
      'plan.yaml is not a map of campaign, timezone and slots',
      'delete plan.yaml and run `ngovoices plan`',
    )
    throw new InputError(problems)
  }
  unknownKeys(top, TOP_KEYS, report)
  const campaign = scalarString(top.get('campaign', true))
  if (!campaign) report(top, 'campaign is missing', 'add `campaign: <the campaign id>`')
  // The file's own zone reads its local times, so a campaign that changed zone keeps every instant.
  const zoneNode = top.get('timezone', true)
  let zone = timezone
  const written = scalarString(zoneNode)
  if (written !== undefined) {
    if (isValidZone(written)) zone = written
    else report(zoneNode, `timezone "${written}" is not an IANA time zone`, `write ${timezone}`)
  }
  const slots: Slot[] = []
  const slotsNode = top.get('slots', true)
  if (slotsNode !== undefined && !isSeq(slotsNode))
    report(slotsNode, 'slots is not a list', 'each slot starts with `- thread:`')
  const seen = new Map<string, number>()
  for (const item of isSeq(slotsNode) ? slotsNode.items : []) {
    if (!isMap(item)) {
      report(
        item as Node,
        'a slot is not a map',
        'each slot has thread, quote, day, time, platforms, locked, status',
      )
      continue
    }
    const line = lc.linePos(item.range?.[0] ?? 0).line
    const slot = parseSlot(item, campaign ?? '', zone, report)
    if (!slot) continue
    const first = seen.get(slot.quoteId)
    if (first !== undefined) {
      report(
        item,
        `quote ${slot.quoteId} has a second slot (the first is on line ${first})`,
        'one thread per quote: delete one of them',
      )
      continue
    }
    seen.set(slot.quoteId, line)
    slots.push(slot)
  }
  if (problems.some((p) => p.severity === 'error')) throw new InputError(problems)
  return {
    campaign: campaign ?? '',
    timezone,
    slots,
    unplaced: listUnplaced(top),
    warnings: listWarnings(top),
    ...(problems.length > 0 ? { fileWarnings: problems } : {}),
  }
}

type Report = (
  node: Node | null | undefined,
  message: string,
  fix: string,
  severity?: Problem['severity'],
) => void

function parseSlot(item: YAMLMap, campaign: string, zone: string, report: Report): Slot | undefined {
  const before = unknownKeys(item, SLOT_KEYS, report)
  const field = (key: string) => item.get(key, true) as Node | undefined
  const quoteId = scalarString(field('quote'))
  const threadId = scalarString(field('thread'))
  const day = scalarString(field('day'))
  let bad = before
  if (!quoteId) {
    report(item, 'a slot has no quote', 'add `quote: <quote id>` or delete the slot')
    return undefined
  }
  const expected = `${campaign}-${quoteId}`
  if (threadId !== expected) {
    report(
      field('thread') ?? item,
      `thread is "${threadId ?? ''}" but quote ${quoteId} is thread ${expected}`,
      `write thread: ${expected}`,
    )
    bad = true
  }
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) {
    report(
      field('day') ?? item,
      `day "${day ?? ''}" is not a date`,
      'write the day as YYYY-MM-DD, e.g. 2022-12-06',
    )
    bad = true
  }
  const time = parseTime(field('time'), item, report)
  if (!time) bad = true
  const at = day && time ? localToUtc(day, time, zone) : undefined
  if (day && time && !bad && !wallTimeExists(field('time'), day, time, zone, report)) bad = true
  const platforms = parsePlatforms(field('platforms'), report)
  const locked = parseLocked(field('locked'), report)
  const status = parseStatus(field('status'), report)
  if (bad || !platforms || !at || !day || locked === undefined || !status) return undefined
  return { threadId: expected, quoteId, at, day, platforms, locked, status }
}

/** "HH:mm" (an hour of one digit is padded), or undefined when the slot's time is not a time. */
function parseTime(node: Node | undefined, item: YAMLMap, report: Report): string | undefined {
  const raw = scalarString(node)
  const time = raw && /^\d{1,2}:\d{2}$/.test(raw) ? raw.padStart(5, '0') : undefined
  if (!time)
    report(
      node ?? item,
      `time "${raw ?? ''}" is not a time`,
      'write the local time as "HH:mm" (24-hour), e.g. "14:30"',
    )
  return time
}

/** False (an error) for a local time the clocks skip that day; one they repeat is only a warning. */
function wallTimeExists(
  node: Node | undefined,
  day: string,
  time: string,
  zone: string,
  report: Report,
): boolean {
  const kind = wallTime(day, time, zone).kind
  if (kind === 'missing') {
    report(node, wallTimeProblem(day, time, zone) ?? '', 'pick a time outside the skipped hour')
    return false
  }
  if (kind === 'ambiguous') {
    report(
      node,
      wallTimeProblem(day, time, zone) ?? '',
      'pick a time outside the repeated hour, so staff and the worker mean the same moment',
      'warning',
    )
  }
  return true
}

function parseLocked(node: Node | undefined, report: Report): boolean | undefined {
  const locked = node === undefined ? false : isScalar(node) ? node.value : undefined
  if (typeof locked === 'boolean') return locked
  report(node, `locked is "${String(locked)}"`, 'write locked: true or locked: false')
  return undefined
}

function parseStatus(node: Node | undefined, report: Report): SlotStatus | undefined {
  const status = node === undefined ? 'planned' : scalarString(node)
  const known = STATUSES.find((s) => s === status)
  if (!known)
    report(
      node,
      `status "${status ?? ''}" is not one of ${STATUSES.join(', ')}`,
      'to drop a thread write status: cancelled',
    )
  return known
}

function parsePlatforms(node: Node | undefined, report: Report): Platform[] | undefined {
  if (node === undefined) return [...PLATFORMS]
  const values = isSeq(node) ? node.items.map((i) => scalarString(i as Node)) : [scalarString(node)]
  const out: Platform[] = []
  for (const v of values) {
    const p = PLATFORMS.find((x) => x === v)
    if (!p) {
      report(
        node,
        `platform "${v ?? ''}" is not one of ${PLATFORMS.join(', ')}`,
        'write platforms: [x, bluesky] or one of them',
      )
      return undefined
    }
    if (!out.includes(p)) out.push(p)
  }
  if (out.length === 0) {
    report(node, 'platforms is empty', 'to drop the thread write status: cancelled; else list [x, bluesky]')
    return undefined
  }
  return out
}

function unknownKeys(map: YAMLMap, allowed: string[], report: Report): boolean {
  let found = false
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
    if (!allowed.includes(key)) {
      report(pair.key as Node, `unknown field "${key}"`, `the fields are ${allowed.join(', ')}`)
      found = true
    }
  }
  return found
}

function scalarString(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined
  const v = node.value
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined
}

function listUnplaced(top: YAMLMap): Unplaced[] {
  const node = top.get('unplaced', true)
  if (!isSeq(node)) return []
  return node.items.flatMap((i) => {
    if (!isMap(i)) return []
    const quoteId = scalarString(i.get('quote', true))
    const reason = scalarString(i.get('reason', true))
    return quoteId && reason ? [{ quoteId, reason }] : []
  })
}

function listWarnings(top: YAMLMap): string[] {
  const node = top.get('warnings', true)
  return isSeq(node) ? node.items.flatMap((i) => scalarString(i) ?? []) : []
}
