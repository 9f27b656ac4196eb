import type { CheckedFiles } from './load.ts'
import { formatProblem } from './problem.ts'
import type { Quote } from './schema.ts'

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

function tally(quotes: Quote[], key: (q: Quote) => string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const q of quotes) out[key(q)] = (out[key(q)] ?? 0) + 1
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
  const warnings = checked.problems.filter((p) => p.severity === 'warning')
  if (warnings.length > 0) {
    out.push(`${warnings.length} warning(s), not posted until resolved:`)
    for (const w of warnings) out.push(`  ${formatProblem(w)}`)
  }
  return out.join('\n')
}
