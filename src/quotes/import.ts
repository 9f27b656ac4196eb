import { stringify as csv } from 'csv-stringify/sync'
import { stringify } from 'yaml'
import type { Problem } from '../core/problem.ts'
import { neutraliseStrings } from './csv-cell.ts'
import { CSV_COLUMNS, quoteToRow } from './csv-file.ts'
import {
  attributionAfter,
  attributionBefore,
  dashLine,
  type Heading,
  looksLikeOrganisation,
  type Organisation,
  parseHeading,
  personLine,
  type Speaker,
  speakerLine,
} from './import-attribution.ts'
import { findPassages, normalise, type Paragraph, type Passage, paragraphs } from './import-scan.ts'
import { attribute, reasons } from './import-settle.ts'
import { finishSentence, guessLanguage, makeId } from './import-text.ts'
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

const DATELINE = /\b\d{1,2}(er)?\s+\p{L}+\s+\d{4}\b|\b\p{L}+\s+\d{1,2},\s+\d{4}\b|\d{4}-\d{2}-\d{2}/u

function isHeading(para: Paragraph, next: Paragraph | undefined, nextHasPassage: boolean): boolean {
  const line = para.text.trim()
  if (line.includes('\n') || line.length > 160 || /[.!?]$/.test(line) || /[“"«„]/.test(line)) return false
  // "Name, former Secretary-General of X, 2005" names who speaks next, not an organisation and a situation.
  if (personLine(line)) return false
  if (DATELINE.test(line)) return false
  if (!next) return false
  const firstNext = next.text.trim().split('\n')[0] ?? ''
  return (
    /^[“"«„]/.test(firstNext) ||
    speakerLine(firstNext) !== undefined ||
    (nextHasPassage && /^[“"«„]/.test(next.text.trim()))
  )
}

/**
 * Joins the parts of one quotation: "“We need justice,” she said, “and we need it now.”", and a quotation over
 * several paragraphs, where (by the typographic rule) each paragraph opens with a mark and only the last closes.
 */
function mergeParts(ps: Passage[]): Passage[][] {
  const out: Passage[][] = []
  for (const p of ps) {
    const last = out.at(-1)
    const prev = last?.at(-1)
    const resumed = prev?.paragraph === p.paragraph && /,$/.test(prev.text) && /^\p{Ll}/u.test(p.text)
    const continued = prev?.closed === 'open' && p.paragraph === prev.paragraph + 1 && p.open === 0
    if (last && (resumed || continued)) last.push(p)
    else out.push([p])
  }
  return out
}

export function importStatement(source: string, opts: ImportOptions): ImportResult {
  const text = normalise(source)
  const paras = paragraphs(text)
  const firstLine = text.trim().split('\n')[0]?.trim() ?? ''
  const r: Reading = {
    text,
    paras,
    groups: mergeParts(findPassages(paras)),
    title: opts.title ?? (firstLine !== '' && firstLine.length <= 150 ? firstLine : opts.file),
    opts,
    quotes: [],
    reports: [],
    taken: new Set(),
    heading: undefined,
    lineSpeaker: undefined,
    inline: undefined,
    passages: 0,
  }
  paras.forEach((para, n) => {
    const here = r.groups.filter((grp) => grp[0]?.paragraph === n)
    if (here.length === 0) readParagraphWithoutQuote(r, para, n)
    for (const [i, parts] of here.entries()) {
      const first = parts[0]
      const last = parts.at(-1)
      if (first && last) readPassage(r, { para, n, parts, first, last, prev: here[i - 1], next: here[i + 1] })
    }
  })
  return { quotes: r.quotes, reports: r.reports }
}

/** The statement being read, and what reading carries from one paragraph to the next. */
interface Reading {
  readonly text: string
  readonly paras: Paragraph[]
  /** The passages, each with the parts of one quotation. */
  readonly groups: Passage[][]
  /** The document's title: every quote's source.title. */
  readonly title: string
  readonly opts: ImportOptions
  readonly quotes: QuoteInput[]
  readonly reports: Problem[]
  /** The ids given so far, so each new one is unique. */
  readonly taken: Set<string>
  /** The last organisation heading: it attributes the quotes below it. */
  heading: Heading | undefined
  /** The last whole line naming a speaker ("Name, Role:"): the speaker of what follows. */
  lineSpeaker: Speaker | undefined
  /** The speaker an attribution on a paragraph named: also the speaker of that paragraph's other quotes. */
  inline: { paragraph: number; speaker: Speaker } | undefined
  /** Passages read so far; reports name a passage by its number. */
  passages: number
}

/** A paragraph with no quotation: an organisation's heading, a line naming the next speaker, or neither. */
function readParagraphWithoutQuote(r: Reading, para: Paragraph, n: number): void {
  const nextHas = r.groups.some((grp) => grp[0]?.paragraph === n + 1)
  // The document's first line is its title (the quotes' source.title), not an organisation's heading,
  // unless it names one (a quote sheet that opens with the organisation).
  const isTitle = n === 0 && !r.opts.title && para.text.trim() === r.title && !looksLikeOrganisation(r.title)
  if (!isTitle && isHeading(para, r.paras[n + 1], nextHas)) {
    r.heading = parseHeading(para.text)
    r.lineSpeaker = undefined
  } else r.lineSpeaker = speakerLine(para.text.trim()) ?? r.lineSpeaker
}

/** One quotation in the paragraph where it opens, between the quotations before and after it there. */
interface InParagraph {
  para: Paragraph
  n: number
  /** The quotation's parts (a quotation interrupted by "she said", or over several paragraphs). */
  parts: Passage[]
  first: Passage
  last: Passage
  prev: Passage[] | undefined
  next: Passage[] | undefined
}

/** The text around a quotation. */
interface Around {
  /** From the end of the previous quotation in the paragraph to this one's opening mark. */
  before: string
  /** Between the parts of a quotation interrupted on its paragraph ("…,” she said, “…"). */
  between: string
  /** After the closing mark, up to the next quotation in the paragraph or the end of the last part's paragraph. */
  after: string
  /** The paragraph the quotation ends in. */
  lastPara: string
}

function around(r: Reading, q: InParagraph): Around {
  const { para, n, parts, first, last } = q
  const before = para.text.slice(q.prev?.at(-1)?.end ?? 0, first.open)
  const nextOpen = q.next?.[0]?.open ?? para.text.length
  const between = parts
    .slice(1)
    .map((p, i) => (p.paragraph === n ? para.text.slice(parts[i]?.end ?? p.open, p.open) : ''))
    .join(' ')
  const lastPara = r.paras[last.paragraph]?.text ?? ''
  // Stray letters glued to a closing mark (`charged”none`) are not part of the attribution after it.
  const after = lastPara
    .slice(last.end, last.paragraph === n ? nextOpen : lastPara.length)
    .replace(last.closed === 'glued' ? /^[\p{L}\p{N}]+/u : /^$/, '')
  return { before, between, after, lastPara }
}

/** The speaker the words around a passage name, if they name one ("…,” said Name, Role). */
function attributionAround(r: Reading, text: Around, last: Passage): Speaker | undefined {
  const nextPara = r.paras[last.paragraph + 1]
  const dashNext =
    text.after.trim() === '' && nextPara && !r.groups.some((x) => x[0]?.paragraph === last.paragraph + 1)
      ? dashLine(nextPara.text.trim())
      : undefined
  return (
    attributionBefore(text.before) ??
    attributionAfter(text.between) ??
    attributionAfter(text.after) ??
    dashNext
  )
}

/** One quotation: who said it, what is left to settle, reported at its line, and drafted as a quote. */
function readPassage(r: Reading, q: InParagraph): void {
  const { para, n, first, last } = q
  r.passages++
  const text = around(r, q)
  // Whole lines before the quote ("Name, Role:") name the speaker of what follows; words on the quote's own
  // line ("…, said:") only this quote.
  for (const l of text.before.split('\n').slice(0, -1)) r.lineSpeaker = speakerLine(l.trim()) ?? r.lineSpeaker
  const found = attributionAround(r, text, last)
  if (found) r.inline = { paragraph: n, speaker: found }
  const who = found ?? (r.inline?.paragraph === n ? r.inline.speaker : undefined) ?? r.lineSpeaker
  const { organisation, speaker, place, date } = attribute(r.heading, who)
  const body = finishSentence(q.parts.map((p) => p.text).join(' '), text.after)
  const { incomplete, situation, excerpt, reports } = reasons({
    body,
    last,
    paraText: text.lastPara,
    organisation,
    speaker,
    heading: r.heading,
  })
  // Words on the quote's own line that match no attribution pattern may name someone else than the
  // speaker above: the guess is kept, and said.
  const ownLine = text.before.split('\n').at(-1)?.trim() ?? ''
  const fromAbove = !found && r.inline?.paragraph !== n
  if (fromAbove && who?.name && ownLine.split(/\s+/).length >= 3) {
    reports.push([
      `the words before it ("${ownLine.length > 60 ? `…${ownLine.slice(-60)}` : ownLine}") name no speaker ngovoices recognises; ${who.name} (named above) is a guess`,
      'check the speaker against the statement',
    ])
  }
  const at = lineOf(r.text, para.start + first.open)
  for (const [message, fix] of reports) {
    r.reports.push({
      file: r.opts.file,
      ...at,
      message: `passage ${r.passages}: ${message}`,
      fix,
      severity: 'warning',
    })
  }
  const org = organisation ?? { name: 'UNATTRIBUTED' }
  r.quotes.push(
    draftQuote(r, {
      body,
      org,
      speaker,
      situation: situation ?? place,
      date,
      excerpt,
      incomplete,
    }),
  )
}

function lineOf(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split('\n')
  return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 }
}

/** One passage as a draft quote: pending consent, and whatever is left to settle written in `incomplete`. */
function draftQuote(
  r: Reading,
  q: {
    body: string
    org: Organisation
    speaker: Speaker | undefined
    situation: string | undefined
    date: string | undefined
    excerpt: string | undefined
    incomplete: string[]
  },
): QuoteInput {
  const { body, org, speaker: spk, situation, date, excerpt, incomplete } = q
  const { opts } = r
  // An anonymous speaker's name never goes into an id that is posted in job ids and logs.
  const named = spk?.anonymous ? undefined : spk?.name
  return {
    id: makeId(org, named ?? situation, body, r.taken),
    text: body,
    ...(excerpt ? { excerpt } : {}),
    language: opts.language ?? guessLanguage(body),
    ...(spk && (spk.name || spk.role) ? { speaker: spk } : {}),
    organisation: org,
    ...(situation ? { situation } : {}),
    // The date the words were said, when the attribution gives one, else the document's.
    source: {
      title: r.title,
      ...(opts.url ? { url: opts.url } : {}),
      ...(date ? { date } : opts.date ? { date: opts.date } : {}),
    },
    consent: {
      status: 'pending',
      note: `Imported from ${opts.file}: confirm consent with ${org.short ?? org.name}`,
    },
    ...(incomplete.length > 0 ? { incomplete: incomplete.join('; ') } : {}),
  }
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
  return csv(rows, { header: true, columns: [...CSV_COLUMNS], cast: neutraliseStrings })
}
