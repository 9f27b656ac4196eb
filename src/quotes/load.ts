import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { campaignFindings, type FooterCheck } from '../campaign/check.ts'
import { type Campaign, campaignSchema } from '../campaign/schema.ts'
import { InputError, inputError, type Problem } from '../core/problem.ts'
import { type Finding, schemaFindings } from './finding.ts'
import { invisibleFindings, mayHoldInvisible } from './invisible.ts'
import { type CoverageCheck, quoteFindings } from './rules.ts'
import { type Quote, quoteSchema } from './schema.ts'
import type { Position, RawEntry } from './source-file.ts'
import { decodeUtf8 } from './text-file.ts'
import { readYamlQuotes } from './yaml-events.ts'
import { hashtagCommentFindings, parseYamlText, plainValue, yamlLocator } from './yaml-file.ts'

// @NOTE Every problem of every file is collected, never just the first: a bad quote is reported and left
// out, the others load. Only a broken campaign stops everything (nothing can be planned without it).

export interface LoadedBank {
  dir: string
  campaign: Campaign
  /** Valid quotes only; a bad quote is reported in `problems` and left out, never blocking the others. */
  quotes: Quote[]
  problems: Problem[]
  /** Where each quote starts, for messages and the preview page. */
  locations: Map<string, { file: string; line: number; col: number }>
}

export interface LoadOptions {
  /** Characters no card font draws (src/cards/coverage.ts); `validate` passes it, loading for posting need not. */
  uncovered?: CoverageCheck
  /**
   * Why the campaign's hashtags do not fit a card's footer (src/cards/footer.ts). Both checks need the card
   * fonts, a layer above this one, so the caller hands them in; the renderer refuses such cards all the same.
   */
  footer?: FooterCheck
}

/** What checking a set of files gives: the campaign when one was found and is sound, quotes, all problems. */
export interface CheckedFiles {
  campaign?: Campaign
  quotes: Quote[]
  problems: Problem[]
  locations: LoadedBank['locations']
  /** The files read, as shown in messages. */
  files: string[]
}

export const QUOTES_FILE = /^quotes.*\.(ya?ml|csv)$/i
const show = (file: string) => relative(process.cwd(), file) || file

const userError = (file: string, message: string, fix: string, options?: { cause?: unknown }) =>
  inputError(show(file), message, fix, options)

/** A bank file's text; one that is not UTF-8 is a problem placed at its first bad byte, never read garbled. */
async function readText(file: string): Promise<{ text: string } | { problem: Problem }> {
  try {
    return decodeUtf8(await readFile(file), show(file))
  } catch (err) {
    const code = (err as { code?: string }).code
    if (code === 'ENOENT') throw userError(file, 'no such file or folder', 'check the path', { cause: err })
    if (code === 'EISDIR')
      throw userError(file, 'is a folder, not a file', 'give the folder alone to validate the whole bank')
    throw err
  }
}

const toProblem = (file: string, at: Position, f: Finding, quoteId?: string): Problem => ({
  file,
  line: at.line,
  col: at.col,
  message: f.message,
  fix: f.fix,
  severity: f.severity,
  ...(quoteId ? { quoteId } : {}),
})

async function checkCampaignFile(
  file: string,
  opts: LoadOptions = {},
): Promise<{ campaign?: Campaign; problems: Problem[] }> {
  const shown = show(file)
  const read = await readText(file)
  if ('problem' in read) return { problems: [read.problem] }
  const { text } = read
  const { doc, lc, problems } = parseYamlText(text, shown)
  if (problems.length > 0) return { problems }
  const locate = yamlLocator(doc.contents, lc)
  const raw = plainValue(doc.contents)
  const parsed = campaignSchema.safeParse(raw)
  // Read off the raw value, so an invisible control is reported even beside a schema error.
  const findings = [
    ...hashtagCommentFindings(doc.contents, text),
    ...invisibleFindings(raw),
    ...(parsed.success
      ? campaignFindings(parsed.data, opts.footer)
      : schemaFindings(campaignSchema, parsed.error, raw, 'campaign')),
  ]
  const found = findings.map((f) => toProblem(shown, locate(f.path, f.atKey), f))
  if (!parsed.success || found.some((p) => p.severity === 'error')) return { problems: found }
  return { campaign: parsed.data, problems: found }
}

export async function loadCampaign(dir: string, opts: LoadOptions = {}): Promise<Campaign> {
  await requireFolder(dir)
  const { campaign, problems } = await checkCampaignFile(join(dir, 'campaign.yaml'), opts)
  if (!campaign) throw new InputError(problems)
  return campaign
}

/** The campaign folder exists and is a folder, else one clear InputError. */
export async function requireFolder(dir: string): Promise<void> {
  const s = await stat(dir).catch(() => undefined)
  if (!s)
    throw userError(
      dir,
      'no such folder',
      'give the campaign folder (campaign.yaml and quotes*.yaml or .csv)',
    )
  if (!s.isDirectory())
    throw userError(dir, 'is a file, not a folder', 'give the folder that holds campaign.yaml')
}

/** Checks quotes files against one campaign (if known), carrying duplicate ids across files. */
async function checkQuotes(
  files: string[],
  campaignFor: (file: string) => Campaign | undefined,
  opts: LoadOptions,
) {
  const quotes: Quote[] = []
  const problems: Problem[] = []
  const locations: LoadedBank['locations'] = new Map()
  for (const file of files) {
    const campaign = campaignFor(file)
    const shown = show(file)
    const read = await readText(file)
    if ('problem' in read) {
      problems.push(read.problem)
      continue
    }
    // csv-parse is loaded only for a bank that has a CSV file: most are YAML, and `validate` is timed to start.
    const parsed = /\.csv$/i.test(file)
      ? (await import('./csv-file.ts')).readCsvQuotes(read.text, shown)
      : readYamlQuotes(read.text, shown)
    problems.push(...parsed.problems)
    const formats = mayHoldInvisible(read.text)
    for (const entry of parsed.entries) {
      const q = checkEntry(entry, shown, campaign, opts, locations, formats)
      problems.push(...q.problems)
      if (!q.quote) continue
      quotes.push(q.quote)
      locations.set(q.quote.id, { file: shown, ...entry.start })
    }
  }
  return { quotes, problems, locations }
}

function checkEntry(
  entry: RawEntry,
  file: string,
  campaign: Campaign | undefined,
  opts: LoadOptions,
  seen: LoadedBank['locations'],
  /** False when the file's text cannot give any value a format character (mayHoldInvisible). */
  formats: boolean,
): { quote?: Quote; problems: Problem[] } {
  const raw = entry.raw as { id?: unknown } | null
  const rawId = typeof raw?.id === 'string' ? raw.id : undefined
  const place = (f: Finding) => toProblem(file, entry.locate(f.path, f.atKey), f, rawId)
  const parsed = quoteSchema.safeParse(entry.raw)
  const invisible = formats ? invisibleFindings(entry.raw) : []
  if (!parsed.success)
    return { problems: [...schemaFindings(quoteSchema, parsed.error, entry.raw), ...invisible].map(place) }
  const quote = parsed.data
  const first = seen.get(quote.id)
  const findings = [
    ...(entry.findings ?? []),
    ...quoteFindings(quote, campaign, opts.uncovered),
    ...invisible,
  ]
  if (first) {
    findings.unshift({
      path: ['id'],
      message: `duplicate id ${quote.id}: also at ${first.file}:${first.line}`,
      fix: 'give each quote its own id (ids must stay stable once a plan uses them)',
      severity: 'error',
    })
  }
  const problems = findings.map(place)
  return problems.some((p) => p.severity === 'error') ? { problems } : { quote, problems }
}

/** The quotes files of a bank folder, in name order; a folder without any is a problem. */
export async function bankFiles(dir: string): Promise<{ files: string[]; problems: Problem[] }> {
  await requireFolder(dir)
  const files = (await readdir(dir))
    .filter((f) => QUOTES_FILE.test(f))
    .sort()
    .map((f) => join(dir, f))
  if (files.length > 0) return { files, problems: [] }
  const problems: Problem[] = [
    {
      file: show(dir),
      line: 0,
      col: 0,
      message: 'no quotes file in this folder',
      fix: 'add quotes.yaml or quotes.csv (files named quotes*.yaml or quotes*.csv are all read)',
      severity: 'error',
    },
  ]
  return { files, problems }
}

export async function loadBank(dir: string, opts: LoadOptions = {}): Promise<LoadedBank> {
  const campaign = await loadCampaign(dir, opts)
  const { files, problems } = await bankFiles(dir)
  const checked = await checkQuotes(files, () => campaign, opts)
  return { dir, campaign, ...checked, problems: [...problems, ...checked.problems] }
}

/** Everything `validate <folder>` reports: campaign and quotes problems together, none hidden by another. */
export async function validateBank(dir: string, opts: LoadOptions = {}): Promise<CheckedFiles> {
  const { files, problems } = await bankFiles(dir)
  const campaign = join(dir, 'campaign.yaml')
  if (!(await stat(campaign).catch(() => undefined))) {
    throw userError(
      dir,
      'no campaign.yaml in this folder',
      'add campaign.yaml (see fixtures/asp21/campaign.yaml)',
    )
  }
  const checked = await validateFiles([campaign, ...files], opts)
  return { ...checked, problems: [...checked.problems, ...problems] }
}

/**
 * Checks the files given, whatever they are: campaign.yaml files and quotes files. A quotes file is checked
 * against the campaign.yaml beside it, when there is one (embargo and pin need the session days).
 */
export async function validateFiles(files: string[], opts: LoadOptions = {}): Promise<CheckedFiles> {
  const problems: Problem[] = []
  const campaigns = new Map<string, Campaign | undefined>()
  for (const file of files) {
    await readText(file)
    const folder = dirname(file)
    if (campaigns.has(folder)) continue
    const own = join(folder, 'campaign.yaml')
    const exists = await stat(own).catch(() => undefined)
    const checked = exists ? await checkCampaignFile(own, opts) : { problems: [] }
    // A campaign beside a quotes file is read for its days; its problems are reported when it was given.
    if (files.some((f) => resolve(f) === resolve(own))) problems.push(...checked.problems)
    campaigns.set(folder, checked.campaign)
  }
  const quoteFiles = files.filter((f) => basename(f) !== 'campaign.yaml')
  const checked = await checkQuotes(quoteFiles, (f) => campaigns.get(dirname(f)), opts)
  const campaign = [...campaigns.values()].find((c) => c !== undefined)
  return {
    ...(campaign ? { campaign } : {}),
    ...checked,
    problems: [...problems, ...checked.problems],
    files: files.map(show),
  }
}
