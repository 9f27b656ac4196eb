import { stringify as csv } from 'csv-stringify/sync'
import { stringify } from 'yaml'
import { CSV_COLUMNS, quoteToRow } from './csv-file.ts'
import {
  attributionAfter,
  attributionBefore,
  dashLine,
  type Heading,
  type Organisation,
  organisationInRole,
  parseHeading,
  type Speaker,
  speakerLine,
} from './import-attribution.ts'
import { findPassages, normalise, type Paragraph, type Passage, paragraphs } from './import-scan.ts'
import { MAX_CARD_CHARS } from './limits.ts'
import type { Problem } from './problem.ts'
import { type QuoteInput, quoteSchema } from './schema.ts'

// @NOTE Import writes a draft, never a finished bank: every quote gets `consent: pending`, and whatever it
// could not settle (no close, no speaker, which situation) is reported and written down, never dropped.

export interface ImportOptions {
  /** How the document is named in messages and in each quote's source. */
  file: string
  title?: string
  url?: string
  date?: string
  language?: string
}

export interface ImportResult {
  quotes: QuoteInput[]
  /** What a person must check, one per passage and reason, at the passage's line:col in the document. */
  reports: Problem[]
}

const STOP = new Set(
  'a an and are as at be by for from has have in is it its of on or our that the their this to we with will was were which who'.split(
    ' ',
  ),
)

export function slug(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

function makeId(
  org: Organisation | undefined,
  who: string | undefined,
  text: string,
  taken: Set<string>,
): string {
  const words = slug(text)
    .split('-')
    .filter((w) => w.length > 1 && !STOP.has(w))
    .slice(0, 3)
  const orgPart = slug(org?.short ?? org?.name ?? 'unattributed')
  const shortOrg = orgPart.length <= 24 ? orgPart : orgPart.slice(0, 25).replace(/-[^-]*$/, '')
  const parts = [shortOrg, who ? slug(who) : '', ...words]
  let base = parts.filter((p) => p !== '').join('-')
  if (base.length > 60) base = base.slice(0, 60).replace(/-[^-]*$/, '')
  let id = base
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`
  taken.add(id)
  return id
}

/** Of the heading's situations, the one the passage speaks about (mentions most); undefined when unclear. */
function situationOf(text: string, heading: Heading | undefined): string | undefined {
  const all = heading?.situations ?? []
  if (all.length <= 1) return all[0]
  const hits = all.map((s) => ({
    s,
    n: text.split(new RegExp(`\\b${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i')).length - 1,
  }))
  const best = hits.filter((h) => h.n > 0).sort((a, b) => b.n - a.n)
  return best[0] && best[0].n !== best[1]?.n ? best[0].s : undefined
}

/**
 * A card-sized excerpt of a long quote: whole sentences from the start, and the last sentence when it fits,
 * with […] for what is left out. Undefined when the quote fits a card, or not even one sentence fits.
 */
export function draftExcerpt(text: string): string | undefined {
  if ([...text].length <= MAX_CARD_CHARS) return undefined
  const sentences = text.split(/(?<=[.!?…])\s+/)
  const len = (parts: string[]) => [...parts.join(' ')].length
  const head: string[] = []
  const last = sentences.at(-1) ?? ''
  for (const s of sentences.slice(0, -1)) {
    if (len([...head, s, '[…]', last]) > MAX_CARD_CHARS) break
    head.push(s)
  }
  if (head.length > 0) return [...head, '[…]', last].join(' ')
  for (const s of sentences.slice(0, -1)) {
    if (len([...head, s, '[…]']) > MAX_CARD_CHARS) break
    head.push(s)
  }
  return head.length > 0 ? [...head, '[…]'].join(' ') : undefined
}

function guessLanguage(text: string): string {
  const count = (re: RegExp) => (text.match(re) ?? []).length
  const fr = count(/\b(le|la|les|des|est|une|pour|dans|que|qui)\b/gi)
  const es = count(/\b(el|los|las|del|una|para|que|por|con|es)\b/gi)
  const en = count(/\b(the|and|of|to|is|that|for|with|are)\b/gi)
  if (fr > en && fr >= es) return 'fr'
  if (es > en && es > fr) return 'es'
  return 'en'
}

const DATELINE = /\b\d{1,2}(er)?\s+\p{L}+\s+\d{4}\b|\b\p{L}+\s+\d{1,2},\s+\d{4}\b|\d{4}-\d{2}-\d{2}/u

function isHeading(para: Paragraph, next: Paragraph | undefined, nextHasPassage: boolean): boolean {
  const line = para.text.trim()
  if (line.includes('\n') || line.length > 160 || /[.!?]$/.test(line) || /[“"«„]/.test(line)) return false
  if (DATELINE.test(line)) return false
  if (!next) return false
  const firstNext = next.text.trim().split('\n')[0] ?? ''
  return (
    /^[“"«„]/.test(firstNext) ||
    speakerLine(firstNext) !== undefined ||
    (nextHasPassage && /^[“"«„]/.test(next.text.trim()))
  )
}

/** Joins "“We need justice,” she said, “and we need it now.”" into one passage. */
function mergeSplit(ps: Passage[]): Passage[][] {
  const out: Passage[][] = []
  for (const p of ps) {
    const last = out.at(-1)
    const prev = last?.at(-1)
    if (last && prev && prev.paragraph === p.paragraph && /,$/.test(prev.text) && /^\p{Ll}/u.test(p.text))
      last.push(p)
    else out.push([p])
  }
  return out
}

export function importStatement(source: string, opts: ImportOptions): ImportResult {
  const text = normalise(source)
  const paras = paragraphs(text)
  const groups = mergeSplit(findPassages(paras))
  const lineOf = (offset: number) => {
    const before = text.slice(0, offset).split('\n')
    return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 }
  }
  const firstLine = text.trim().split('\n')[0]?.trim() ?? ''
  const title = opts.title ?? (firstLine !== '' && firstLine.length <= 150 ? firstLine : opts.file)
  const quotes: QuoteInput[] = []
  const reports: Problem[] = []
  const taken = new Set<string>()
  let heading: Heading | undefined
  let lineSpeaker: Speaker | undefined
  let inline: { paragraph: number; speaker: Speaker } | undefined
  let g = 0
  paras.forEach((para, n) => {
    const here = groups.filter((grp) => grp[0]?.paragraph === n)
    if (here.length === 0) {
      const nextHas = groups.some((grp) => grp[0]?.paragraph === n + 1)
      if (isHeading(para, paras[n + 1], nextHas)) {
        heading = parseHeading(para.text)
        lineSpeaker = undefined
      } else lineSpeaker = speakerLine(para.text.trim()) ?? lineSpeaker
      return
    }
    for (const grp of here) {
      const first = grp[0]
      const last = grp.at(-1)
      if (!first || !last) continue
      g++
      const prevEnd = here[here.indexOf(grp) - 1]?.at(-1)?.end ?? 0
      const before = para.text.slice(prevEnd, first.open)
      const nextOpen = here[here.indexOf(grp) + 1]?.[0]?.open ?? para.text.length
      const between = grp
        .slice(1)
        .map((p, i) => para.text.slice(grp[i]?.end ?? p.open, p.open))
        .join(' ')
      // Stray letters glued to a closing mark (`charged”none`) are not part of the attribution after it.
      const after = para.text
        .slice(last.end, nextOpen)
        .replace(last.closed === 'glued' ? /^[\p{L}\p{N}]+/u : /^$/, '')
      // Whole lines before the quote ("Name, Role:") name the speaker of what follows; words on the quote's own
      // line ("…, said:") only this quote.
      for (const l of before.split('\n').slice(0, -1)) lineSpeaker = speakerLine(l.trim()) ?? lineSpeaker
      const nextPara = paras[n + 1]
      const dashNext =
        after.trim() === '' && nextPara && !groups.some((x) => x[0]?.paragraph === n + 1)
          ? dashLine(nextPara.text.trim())
          : undefined
      const found =
        attributionBefore(before) ?? attributionAfter(between) ?? attributionAfter(after) ?? dashNext
      if (found) inline = { paragraph: n, speaker: found }
      const who = found ?? (inline?.paragraph === n ? inline.speaker : undefined) ?? lineSpeaker
      let organisation = heading?.organisation
      let spk = who
      if (!organisation && who?.role) {
        const inRole = organisationInRole(who.role)
        if (inRole) {
          organisation = inRole.organisation
          spk = { ...who, role: inRole.role }
        }
      }
      let body = grp.map((p) => p.text).join(' ')
      // A quote cut before "she said" ends in a comma (inside or, in French, outside the marks); on its own
      // it ends the sentence.
      const commaAfter = /^\s*,/.test(after) && !/[.!?…]$/.test(body)
      body = body.replace(/,$/, '.')
      if (commaAfter && !/[.!?…]$/.test(body)) body = `${body}.`
      const at = lineOf(para.start + first.open)
      const report = (message: string, fix: string) =>
        reports.push({
          file: opts.file,
          ...at,
          message: `passage ${g}: ${message}`,
          fix,
          severity: 'warning',
        })
      const incomplete: string[] = []
      if (last.closed === 'open') {
        incomplete.push('the quotation is not closed in the source: check where it ends')
        report(
          'quotation not closed: no closing mark before the paragraph ends',
          'check where the quote ends with its organisation',
        )
      } else if (last.closed === 'glued') {
        const stray = /^[\p{L}\p{N}]+/u.exec(para.text.slice(last.end))?.[0] ?? ''
        incomplete.push(`the closing mark is followed by stray text ("${stray}"): the quote may be cut off`)
        report(
          `quotation not closed: stray text "${stray}" straight after the closing mark (cut off?)`,
          'check the full quote with its organisation',
        )
      } else if (!/[.!?…]["'’”»)\]]?$/.test(body)) {
        const tail = body.split(' ').slice(-3).join(' ')
        incomplete.push(`it ends without punctuation ("…${tail}"): it may be cut off in the source`)
        report(
          `quotation not closed: it ends "…${tail}" with no closing punctuation (cut off?)`,
          'check the full quote with its organisation',
        )
      }
      if (!organisation) {
        const what = spk ? 'no organisation' : 'no speaker or organisation'
        incomplete.push(`${what} found: attribute it`)
        report(`${what} found`, 'fill in organisation (and speaker), or delete the quote')
      }
      const situation = situationOf(body, heading)
      if (situation === undefined && (heading?.situations.length ?? 0) > 1) {
        report(
          `cannot tell which situation (${heading?.situations.join(' or ')}) it speaks about`,
          'set situation by hand',
        )
      }
      const excerpt = draftExcerpt(body)
      if (excerpt) {
        report(
          `quotation is ${[...body].length} characters, more than a card holds (${MAX_CARD_CHARS}): a draft excerpt was written`,
          'check the excerpt (left-out words are marked […]) or write your own',
        )
      }
      const org = organisation ?? { name: 'UNATTRIBUTED' }
      const who2 = spk?.anonymous ? undefined : spk?.name
      quotes.push({
        id: makeId(org, who2 ?? situation, body, taken),
        text: body,
        ...(excerpt ? { excerpt } : {}),
        language: opts.language ?? guessLanguage(body),
        ...(spk && (spk.name || spk.role) ? { speaker: spk } : {}),
        organisation: org,
        ...(situation ? { situation } : {}),
        source: { title, ...(opts.url ? { url: opts.url } : {}), ...(opts.date ? { date: opts.date } : {}) },
        consent: {
          status: 'pending',
          note: `Imported from ${opts.file}: confirm consent with ${org.short ?? org.name}`,
        },
        ...(incomplete.length > 0 ? { incomplete: incomplete.join('; ') } : {}),
      })
    }
  })
  return { quotes, reports }
}

/** The draft bank as YAML: a header saying what to do next, one quote per block. */
export function draftYaml(result: ImportResult, file: string): string {
  const head = [
    `# Draft quote bank imported from ${file} by ngovoices import.`,
    '# Before anything is posted: check each quote against the source, fill in what is missing, finish or delete',
    '# quotes marked incomplete, and set consent.status: granted only once the organisation (and speaker) agree.',
    '',
  ].join('\n')
  const blocks = result.quotes.map((q) => stringify([q], { lineWidth: 110, aliasDuplicateObjects: false }))
  return `${head}\n${blocks.join('\n')}`
}

/** The draft bank as CSV, for teams that keep quotes in a spreadsheet. */
export function draftCsv(result: ImportResult): string {
  const rows = result.quotes.map((q) => quoteToRow(quoteSchema.parse(q)))
  return csv(rows, { header: true, columns: [...CSV_COLUMNS] })
}
