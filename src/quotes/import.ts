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
  splitRole,
} from './import-attribution.ts'
import { findPassages, normalise, type Paragraph, type Passage, paragraphs } from './import-scan.ts'
import { draftExcerpt, finishSentence, guessLanguage, makeId, situationOf } from './import-text.ts'
import { MAX_CARD_CHARS } from './limits.ts'
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

/**
 * Who said it, in their fields: the heading's organisation, else the one the role names; the role without its
 * organisation, place or date; the place (when the heading names none) and the date apart.
 */
function attribute(
  heading: Heading | undefined,
  who: Speaker | undefined,
): { organisation?: Organisation; speaker?: Speaker; place?: string; date?: string } {
  // Under an organisation's heading, a role's "of …" is part of the title ("President of the … Coalition").
  const parts = who?.role ? splitRole(who.role, { organisationInRole: !heading?.organisation }) : {}
  const organisation = heading?.organisation ?? parts.organisation
  const speaker: Speaker | undefined = who ? { ...who } : undefined
  if (speaker) {
    if (parts.role) speaker.role = parts.role
    else delete speaker.role
  }
  return {
    ...(organisation ? { organisation } : {}),
    ...(speaker ? { speaker } : {}),
    ...(parts.place ? { place: parts.place } : {}),
    ...(parts.date ? { date: parts.date } : {}),
  }
}

interface Drafted {
  body: string
  last: Passage
  paraText: string
  organisation: Organisation | undefined
  speaker: Speaker | undefined
  heading: Heading | undefined
}

/** What a person must settle for one passage: written into `incomplete` and reported at the passage. */
function reasons(d: Drafted): {
  incomplete: string[]
  reports: [message: string, fix: string][]
  situation?: string
  excerpt?: string
} {
  const { body, last } = d
  const incomplete: string[] = []
  const reports: [string, string][] = []
  const askSource = 'check the full quote with its organisation'
  if (last.closed === 'open') {
    incomplete.push('the quotation is not closed in the source: check where it ends')
    reports.push(['quotation not closed: no closing mark before the paragraph ends', askSource])
  } else if (last.closed === 'glued') {
    const stray = /^[\p{L}\p{N}]+/u.exec(d.paraText.slice(last.end))?.[0] ?? ''
    incomplete.push(`the closing mark is followed by stray text ("${stray}"): the quote may be cut off`)
    reports.push([
      `quotation not closed: stray text "${stray}" straight after the closing mark (cut off?)`,
      askSource,
    ])
  } else if (!/[.!?…]["'’”»)\]]?$/.test(body)) {
    const tail = body.split(' ').slice(-3).join(' ')
    incomplete.push(`it ends without punctuation ("…${tail}"): it may be cut off in the source`)
    reports.push([
      `quotation not closed: it ends "…${tail}" with no closing punctuation (cut off?)`,
      askSource,
    ])
  }
  if (!d.organisation) {
    const what = d.speaker ? 'no organisation' : 'no speaker or organisation'
    incomplete.push(`${what} found: attribute it`)
    reports.push([`${what} found`, 'fill in organisation (and speaker), or delete the quote'])
  }
  const situation = situationOf(body, d.heading)
  if (situation === undefined && (d.heading?.situations.length ?? 0) > 1) {
    reports.push([
      `cannot tell which situation (${d.heading?.situations.join(' or ')}) it speaks about`,
      'set situation by hand',
    ])
  }
  const excerpt = draftExcerpt(body)
  if (excerpt) {
    reports.push([
      `quotation is ${[...body].length} characters, more than a card holds (${MAX_CARD_CHARS}): a draft excerpt was written`,
      'check the excerpt (left-out words are marked […]) or write your own',
    ])
  }
  return { incomplete, reports, ...(situation ? { situation } : {}), ...(excerpt ? { excerpt } : {}) }
}

export function importStatement(source: string, opts: ImportOptions): ImportResult {
  const text = normalise(source)
  const paras = paragraphs(text)
  const groups = mergeParts(findPassages(paras))
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
      // The document's first line is its title (the quotes' source.title), not an organisation's heading,
      // unless it names one (a quote sheet that opens with the organisation).
      const isTitle = n === 0 && !opts.title && para.text.trim() === title && !looksLikeOrganisation(title)
      if (!isTitle && isHeading(para, paras[n + 1], nextHas)) {
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
        .map((p, i) => (p.paragraph === n ? para.text.slice(grp[i]?.end ?? p.open, p.open) : ''))
        .join(' ')
      const lastPara = paras[last.paragraph]?.text ?? ''
      // Stray letters glued to a closing mark (`charged”none`) are not part of the attribution after it.
      const after = lastPara
        .slice(last.end, last.paragraph === n ? nextOpen : lastPara.length)
        .replace(last.closed === 'glued' ? /^[\p{L}\p{N}]+/u : /^$/, '')
      // Whole lines before the quote ("Name, Role:") name the speaker of what follows; words on the quote's own
      // line ("…, said:") only this quote.
      for (const l of before.split('\n').slice(0, -1)) lineSpeaker = speakerLine(l.trim()) ?? lineSpeaker
      const nextPara = paras[last.paragraph + 1]
      const dashNext =
        after.trim() === '' && nextPara && !groups.some((x) => x[0]?.paragraph === last.paragraph + 1)
          ? dashLine(nextPara.text.trim())
          : undefined
      const found =
        attributionBefore(before) ?? attributionAfter(between) ?? attributionAfter(after) ?? dashNext
      if (found) inline = { paragraph: n, speaker: found }
      const who = found ?? (inline?.paragraph === n ? inline.speaker : undefined) ?? lineSpeaker
      const { organisation, speaker: spk, place, date } = attribute(heading, who)
      const body = finishSentence(grp.map((p) => p.text).join(' '), after)
      const at = lineOf(para.start + first.open)
      const {
        incomplete,
        situation: headed,
        excerpt,
        ...settle
      } = reasons({
        body,
        last,
        paraText: lastPara,
        organisation,
        speaker: spk,
        heading,
      })
      // Words on the quote's own line that match no attribution pattern may name someone else than the
      // speaker above: the guess is kept, and said.
      const ownLine = before.split('\n').at(-1)?.trim() ?? ''
      const fromAbove = !found && inline?.paragraph !== n
      if (fromAbove && who?.name && ownLine.split(/\s+/).length >= 3) {
        settle.reports.push([
          `the words before it ("${ownLine.length > 60 ? `…${ownLine.slice(-60)}` : ownLine}") name no speaker ngovoices recognises; ${who.name} (named above) is a guess`,
          'check the speaker against the statement',
        ])
      }
      for (const [message, fix] of settle.reports) {
        reports.push({
          file: opts.file,
          ...at,
          message: `passage ${g}: ${message}`,
          fix,
          severity: 'warning',
        })
      }
      const situation = headed ?? place
      const org = organisation ?? { name: 'UNATTRIBUTED' }
      // An anonymous speaker's name never goes into an id that is posted in job ids and logs.
      const named = spk?.anonymous ? undefined : spk?.name
      quotes.push({
        id: makeId(org, named ?? situation, body, taken),
        text: body,
        ...(excerpt ? { excerpt } : {}),
        language: opts.language ?? guessLanguage(body),
        ...(spk && (spk.name || spk.role) ? { speaker: spk } : {}),
        organisation: org,
        ...(situation ? { situation } : {}),
        // The date the words were said, when the attribution gives one, else the document's.
        source: {
          title,
          ...(opts.url ? { url: opts.url } : {}),
          ...(date ? { date } : opts.date ? { date: opts.date } : {}),
        },
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
  return csv(rows, { header: true, columns: [...CSV_COLUMNS], cast: neutraliseStrings })
}
