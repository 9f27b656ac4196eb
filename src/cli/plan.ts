import { writeFile } from 'node:fs/promises'
import { relative } from 'node:path'
import { defineCommand } from 'citty'
import { DateTime } from 'luxon'
import { cliUser, logPlanChanges } from '../calendar/change-log.ts'
import { type PlanChanges, planChanges } from '../calendar/changes.ts'
import { planCsv } from '../calendar/csv.ts'
import { planIcs } from '../calendar/ics.ts'
import { PLAN_FILE, readPlanFile, writePlanFile } from '../calendar/plan-file.ts'
import { planCampaign } from '../calendar/planner.ts'
import { planJson } from '../calendar/rows.ts'
import type { Plan } from '../calendar/types.ts'
import { weekTable } from '../calendar/week-table.ts'
import type { Campaign } from '../campaign/schema.ts'
import { sessionOver } from '../campaign/session-over.ts'
import { formatProblem, inputError } from '../core/problem.ts'
import { localClock, localDay } from '../core/time.ts'
import { type LoadedBank, loadBank } from '../quotes/load.ts'
import { bankDirArg } from './args.ts'

const arg = (file: string, message: string, fix: string) => inputError(file, message, fix)

/** `--now`, else the clock; a session already over is planned as a rehearsal (no "now"), so it still shows. */
function planNow(raw: string | undefined, campaign: Campaign): { now?: Date; note?: string } {
  const now = raw ? DateTime.fromISO(raw, { setZone: true }) : DateTime.utc()
  if (!now.isValid)
    throw arg('arguments', `--now ${raw} is not an ISO date-time`, 'write e.g. --now 2022-12-07T10:00+01:00')
  const last = raw ? undefined : sessionOver(campaign, now.toJSDate())
  if (last) return { note: `The session ended on ${last}: planned as a rehearsal, ignoring today's date.` }
  return { now: now.toJSDate() }
}

export default defineCommand({
  meta: { name: 'plan', description: 'Plan the posting calendar and write plan.yaml beside the quote bank' },
  args: {
    dir: bankDirArg,
    'dry-run': { type: 'boolean', description: 'show the plan without writing plan.yaml' },
    ics: { type: 'string', description: 'also write an iCalendar file (- for stdout)' },
    csv: { type: 'string', description: 'also write a CSV file (- for stdout)' },
    json: { type: 'string', description: 'also write a JSON file (- for stdout)' },
    now: { type: 'string', description: 'plan as if it were this instant (ISO 8601); default: the clock' },
  },
  run: async ({ args }) => {
    const bank = await loadBank(args.dir)
    const { campaign, quotes } = bank
    const exports = { ics: args.ics, csv: args.csv, json: args.json }
    const toStdout = oneOnStdout(exports)
    // With an export on stdout, the report goes to stderr so the export stays clean for a pipe.
    const say = (text: string) => (toStdout ? process.stderr : process.stdout).write(`${text}\n`)
    const previous = await readPlanFile(bank.dir, campaign.timezone)
    if (previous && previous.campaign !== campaign.id) {
      throw arg(
        relative(process.cwd(), `${bank.dir}/${PLAN_FILE}`),
        `plan.yaml is for campaign "${previous.campaign}", not "${campaign.id}"`,
        'fix the campaign line, or move plan.yaml away to plan afresh',
      )
    }
    const { now, note } = planNow(args.now, campaign)
    const plan = planCampaign(campaign, quotes, previous, now ? { now } : {})
    const changes = planChanges(previous, plan)

    report(say, { bank, plan, previous, changes, note })
    if (args['dry-run']) say(`\n--dry-run: ${PLAN_FILE} not written.`)
    else {
      const file = await writePlanFile(bank.dir, plan, { quotes })
      await logPlanChanges(
        bank.dir,
        cliUser(),
        previous ? 're-planned (ngovoices plan)' : 'planned (ngovoices plan)',
        changes,
        (at) => wallClock(at, campaign),
      )
      say(
        `\nWrote ${relative(process.cwd(), file)}: edit it to move, lock or drop a thread, then run ngovoices plan again.`,
      )
    }
    await writeExports(exports, { bank, plan }, say)
  },
})

type Exports = Record<'ics' | 'csv' | 'json', string | undefined>
type Say = (text: string) => void

/** Whether one export goes to stdout ('-'); two cannot share it. */
function oneOnStdout(exports: Exports): boolean {
  const onStdout = Object.entries(exports).filter(([, v]) => v === '-' || v === '')
  if (onStdout.length > 1) {
    const names = onStdout.map(([k]) => `--${k}`).join(' and ')
    throw arg('arguments', `${names} both write to stdout`, 'give all but one of them a file name')
  }
  return onStdout.length === 1
}

function wallClock(at: string, campaign: Campaign): string {
  return `${localDay(at, campaign.timezone)} ${localClock(at, campaign.timezone)}`
}

/** The week, what moved since the plan file, what was not placed and why, and the warnings. */
function report(
  say: Say,
  r: {
    bank: LoadedBank
    plan: Plan
    previous: Plan | undefined
    changes: PlanChanges
    note: string | undefined
  },
): void {
  const { bank, plan, previous, changes } = r
  const { campaign, quotes } = bank
  say(weekTable(plan, campaign, quotes))
  if (r.note) say(`\n${r.note}`)
  if (previous) {
    say(
      `\nRe-plan: ${changes.added.length} added, ${changes.moved.length} moved, ${changes.removed.length} removed.`,
    )
    for (const m of changes.moved)
      say(`  moved ${m.threadId}: ${wallClock(m.from, campaign)} → ${wallClock(m.to, campaign)}`)
  }
  const placed = plan.slots.filter((s) => s.status !== 'cancelled').length
  say(`\n${placed} threads planned, ${plan.unplaced.length} quotes not placed.`)
  for (const u of plan.unplaced) say(`  ${u.quoteId}: ${u.reason}`)
  const bad = bank.problems.filter((p) => p.severity === 'error')
  if (bad.length > 0) {
    say(`\nLeft out because the bank has errors (run \`ngovoices validate\`):`)
    for (const p of bad) say(`  ${formatProblem(p)}`)
  }
  for (const w of plan.warnings ?? []) say(`warning: ${w}`)
}

/** Each export asked for, to its file or to stdout. */
async function writeExports(
  exports: Exports,
  { bank, plan }: { bank: LoadedBank; plan: Plan },
  say: Say,
): Promise<void> {
  const { campaign, quotes } = bank
  const render = {
    ics: () => planIcs(plan, campaign, quotes),
    csv: () => planCsv(plan, quotes),
    json: () => planJson(plan, quotes),
  }
  for (const [kind, target] of Object.entries(exports)) {
    if (target === undefined || typeof target !== 'string') continue
    const text = render[kind as keyof typeof render]()
    if (target === '-' || target === '') process.stdout.write(text)
    else {
      await writeFile(target, text, 'utf8')
      say(`Wrote ${target} (${kind}).`)
    }
  }
}
