import { formatProblem } from '../core/problem.ts'
import type { CheckedFiles } from './load.ts'

// @NOTE One screen: what the bank holds and what still needs a person, so a clean run is worth reading too.

export interface BankSummary {
  quotes: number
  files: string[]
  byOrganisation: Record<string, number>
  byLanguage: Record<string, number>
  byConsent: Record<string, number>
  incomplete: number
  embargoed: number
  errors: number
  warnings: number
}

const SHOWN = 8

function tally<T = string>(items: T[], key: (item: T) => string = String): Record<string, number> {
  const out: Record<string, number> = {}
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1
  return Object.fromEntries(Object.entries(out).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)))
}

export function summarise(checked: CheckedFiles): BankSummary {
  const { quotes, problems } = checked
  return {
    quotes: quotes.length,
    files: checked.files,
    byOrganisation: tally(quotes, (q) => q.organisation.short ?? q.organisation.name),
    byLanguage: tally(quotes, (q) => q.language),
    byConsent: tally(quotes, (q) => q.consent.status),
    incomplete: quotes.filter((q) => q.incomplete !== undefined).length,
    embargoed: quotes.filter((q) => q.embargo_until !== undefined).length,
    errors: problems.filter((p) => p.severity === 'error').length,
    warnings: problems.filter((p) => p.severity === 'warning').length,
  }
}

const line = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, n]) => `${k} ${n}`)
    .join(' · ') || '–'

export function formatSummary(checked: CheckedFiles): string {
  const s = summarise(checked)
  const c = checked.campaign
  const days = c ? `${c.days.length} days, ${c.days[0]?.date} – ${c.days.at(-1)?.date}, ${c.timezone}` : ''
  const out = [
    `${s.quotes} quotes in ${s.files.filter((f) => !f.endsWith('campaign.yaml')).length} file(s)${c ? ` · campaign ${c.id} (${days})` : ''}`,
    `  by organisation  ${line(s.byOrganisation)}`,
    `  by language      ${line(s.byLanguage)}`,
    `  by consent       ${line(s.byConsent)}`,
    `  incomplete ${s.incomplete} · embargoed ${s.embargoed}`,
  ]
  if (!c) out.push('  no campaign.yaml beside these files: embargo and pin dates were not checked')
  const warnings = checked.problems.filter((p) => p.severity === 'warning')
  if (warnings.length > 0) {
    out.push(`${warnings.length} warning(s), not posted until resolved:`)
    // One screen: the first few in full, the rest counted by kind.
    for (const w of warnings.slice(0, SHOWN)) out.push(`  ${formatProblem(w)}`)
    const rest = warnings.slice(SHOWN)
    if (rest.length > 0) {
      const kinds = tally(rest.map((w) => w.message.split(':')[0] ?? w.message))
      out.push(`  … and ${rest.length} more: ${line(kinds)} (--json lists them all)`)
    }
  }
  return out.join('\n')
}
