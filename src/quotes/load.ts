import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml'
import type { ZodError } from 'zod'
import { type Campaign, campaignSchema } from '../campaign/schema.ts'
import { InputError, type Problem } from './problem.ts'
import { type Quote, quoteSchema } from './schema.ts'

// @TODO (foundation issue) CSV banks, every validation rule of `validate`, line:col for each zod issue path.

export interface LoadedBank {
  dir: string
  campaign: Campaign
  /** Valid quotes only; a bad quote is reported in `problems` and left out, never blocking the others. */
  quotes: Quote[]
  problems: Problem[]
  /** Where each quote starts, for messages and the preview page. */
  locations: Map<string, { file: string; line: number; col: number }>
}

function zodProblems(file: string, err: ZodError, line: number, col: number, quoteId?: string): Problem[] {
  return err.issues.map((i) => ({
    file,
    line,
    col,
    message: `${i.path.join('.') || 'value'}: ${i.message}`,
    fix: 'see the field list in README.md',
    ...(quoteId ? { quoteId } : {}),
    severity: 'error' as const,
  }))
}

export async function loadCampaign(dir: string): Promise<Campaign> {
  const file = join(dir, 'campaign.yaml')
  const text = await readFile(file, 'utf8')
  const lc = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lc })
  const shown = relative(process.cwd(), file)
  if (doc.errors.length > 0) {
    throw new InputError(
      doc.errors.map((e) => ({
        file: shown,
        line: e.linePos?.[0].line ?? 1,
        col: e.linePos?.[0].col ?? 1,
        message: e.message.split('\n')[0] ?? 'YAML syntax error',
        fix: 'fix the YAML syntax',
        severity: 'error',
      })),
    )
  }
  const parsed = campaignSchema.safeParse(doc.toJS())
  if (!parsed.success) throw new InputError(zodProblems(shown, parsed.error, 1, 1))
  return parsed.data
}

export async function loadBank(dir: string): Promise<LoadedBank> {
  const campaign = await loadCampaign(dir)
  const files = (await readdir(dir)).filter((f) => /^quotes.*\.ya?ml$/.test(f)).sort()
  const quotes: Quote[] = []
  const problems: Problem[] = []
  const locations = new Map<string, { file: string; line: number; col: number }>()
  for (const f of files) {
    const file = join(dir, f)
    const shown = relative(process.cwd(), file)
    const lc = new LineCounter()
    const doc = parseDocument(await readFile(file, 'utf8'), { lineCounter: lc })
    if (!isSeq(doc.contents)) continue
    for (const item of doc.contents.items) {
      const pos = lc.linePos(isMap(item) ? (item.range?.[0] ?? 0) : 0)
      const raw: unknown = isMap(item) ? item.toJSON(doc) : item
      const parsed = quoteSchema.safeParse(raw)
      if (!parsed.success) {
        problems.push(...zodProblems(shown, parsed.error, pos.line, pos.col))
        continue
      }
      quotes.push(parsed.data)
      locations.set(parsed.data.id, { file: shown, line: pos.line, col: pos.col })
    }
  }
  return { dir, campaign, quotes, problems, locations }
}
