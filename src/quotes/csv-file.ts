import { parse } from 'csv-parse/sync'
import type { Problem } from '../core/problem.ts'
import { restoreCell } from './csv-cell.ts'
import type { FieldPath } from './finding.ts'
import type { Quote } from './schema.ts'
import type { ParsedFile, Position, RawEntry } from './source-file.ts'

// @NOTE A spreadsheet keeps one quote per row, so nested fields are flat columns. A row loads to the very
// same object as its YAML twin: empty cells are absent fields, `themes` is split on `;`.

export const CSV_COLUMNS = [
  'id',
  'text',
  'excerpt',
  'language',
  'speaker_name',
  'speaker_role',
  'speaker_victim',
  'speaker_anonymous',
  'organisation_name',
  'organisation_short',
  'organisation_x',
  'organisation_bluesky',
  'situation',
  'themes',
  'source_title',
  'source_url',
  'source_date',
  'consent',
  'consent_note',
  'embargo_until',
  'priority',
  'pin',
  'alt_text',
  'incomplete',
] as const
type Column = (typeof CSV_COLUMNS)[number]

// Nested field path → its column; the first matching prefix wins.
const COLUMN_OF: [string, Column][] = [
  ['speaker.name', 'speaker_name'],
  ['speaker.role', 'speaker_role'],
  ['speaker.victim', 'speaker_victim'],
  ['speaker.anonymous', 'speaker_anonymous'],
  ['speaker', 'speaker_name'],
  ['organisation.name', 'organisation_name'],
  ['organisation.short', 'organisation_short'],
  ['organisation.handles.x', 'organisation_x'],
  ['organisation.handles.bluesky', 'organisation_bluesky'],
  ['organisation', 'organisation_name'],
  ['source.title', 'source_title'],
  ['source.url', 'source_url'],
  ['source.date', 'source_date'],
  ['source', 'source_title'],
  ['consent.note', 'consent_note'],
  ['consent', 'consent'],
]

function columnOf(path: FieldPath): string {
  const key = path.filter((p) => typeof p === 'string').join('.')
  for (const [prefix, col] of COLUMN_OF) if (key === prefix || key.startsWith(`${prefix}.`)) return col
  return key.split('.')[0] ?? key
}

const BOOL: Record<string, boolean> = {
  true: true,
  yes: true,
  '1': true,
  false: false,
  no: false,
  '0': false,
}

function compact(o: Record<string, unknown>): Record<string, unknown> | undefined {
  const kept = Object.entries(o).filter(([, v]) => v !== undefined)
  return kept.length === 0 ? undefined : Object.fromEntries(kept)
}

/** One CSV row (header → cell) as the nested object the quote schema reads. */
function rowToRaw(row: Map<string, string>): Record<string, unknown> {
  const cell = (c: Column) => {
    const v = row.get(c)?.trim()
    return v === undefined || v === '' ? undefined : restoreCell(v)
  }
  // A cell that is not a yes/no is passed on as text, so the schema reports it against its column.
  const bool = (c: Column) => {
    const v = cell(c)
    return v === undefined ? undefined : (BOOL[v.toLowerCase()] ?? v)
  }
  const num = (c: Column) => {
    const v = cell(c)
    return v === undefined ? undefined : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v
  }
  const handles = compact({ x: cell('organisation_x'), bluesky: cell('organisation_bluesky') })
  const consent = compact({ status: cell('consent'), note: cell('consent_note') })
  return (
    compact({
      id: cell('id'),
      text: cell('text'),
      excerpt: cell('excerpt'),
      language: cell('language'),
      speaker: compact({
        name: cell('speaker_name'),
        role: cell('speaker_role'),
        victim: bool('speaker_victim'),
        anonymous: bool('speaker_anonymous'),
      }),
      organisation: compact({
        name: cell('organisation_name'),
        short: cell('organisation_short'),
        ...(handles ? { handles } : {}),
      }),
      situation: cell('situation'),
      themes: cell('themes')
        ?.split(';')
        .map((t) => t.trim())
        .filter((t) => t !== ''),
      source: compact({ title: cell('source_title'), url: cell('source_url'), date: cell('source_date') }),
      consent,
      embargo_until: cell('embargo_until'),
      priority: num('priority'),
      pin: cell('pin'),
      alt_text: cell('alt_text'),
      incomplete: cell('incomplete'),
    }) ?? {}
  )
}

/** A quote as one spreadsheet row (the inverse of rowToRaw): what a CSV export of the bank writes. */
export function quoteToRow(q: Quote): Record<Column, string> {
  const yesNo = (b: boolean | undefined) => (q.speaker ? (b ? 'yes' : 'no') : '')
  return {
    id: q.id,
    text: q.text,
    excerpt: q.excerpt ?? '',
    language: q.language,
    speaker_name: q.speaker?.name ?? '',
    speaker_role: q.speaker?.role ?? '',
    speaker_victim: yesNo(q.speaker?.victim),
    speaker_anonymous: yesNo(q.speaker?.anonymous),
    organisation_name: q.organisation.name,
    organisation_short: q.organisation.short ?? '',
    organisation_x: q.organisation.handles.x ?? '',
    organisation_bluesky: q.organisation.handles.bluesky ?? '',
    situation: q.situation ?? '',
    themes: q.themes.join(';'),
    source_title: q.source.title,
    source_url: q.source.url ?? '',
    source_date: q.source.date ?? '',
    consent: q.consent.status,
    consent_note: q.consent.note ?? '',
    embargo_until: q.embargo_until ?? '',
    priority: String(q.priority),
    pin: q.pin ?? '',
    alt_text: q.alt_text ?? '',
    incomplete: q.incomplete ?? '',
  }
}

/** Where each field of a raw record starts, relative to the record: a quote-aware scan of the raw text. */
function fieldStarts(raw: string, delimiter = ','): Position[] {
  const starts: Position[] = [{ line: 0, col: 1 }]
  let line = 0
  let col = 1
  let quoted = false
  for (const ch of raw) {
    if (ch === '"') quoted = !quoted
    if (ch === '\n') {
      if (!quoted) break
      line++
      col = 1
      continue
    }
    col++
    if (ch === delimiter && !quoted) starts.push({ line, col })
  }
  return starts
}

/** Spreadsheets set to a European locale export `;`-separated files: tell by the header row. */
export function csvDelimiter(text: string): ',' | ';' {
  const firstLine = text.replace(/^\uFEFF/, '').split('\n')[0] ?? ''
  return !firstLine.includes(',') && firstLine.includes(';') ? ';' : ','
}

export function readCsvQuotes(text: string, file: string): ParsedFile {
  const problems: Problem[] = []
  const records: { record: string[]; raw: string; lines: number }[] = []
  const delimiter = csvDelimiter(text)
  try {
    const rows = parse(text, {
      delimiter,
      bom: true,
      raw: true,
      info: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err) => {
        if (err) problems.push(csvSyntax(err, file, text, delimiter))
        return undefined
      },
    }) as unknown as { record: string[]; raw: string; info: { lines: number } }[]
    for (const r of rows) records.push({ record: r.record, raw: r.raw, lines: r.info.lines })
  } catch (err) {
    problems.push(csvSyntax(err, file, text, delimiter))
    return { entries: [], problems }
  }
  const [head, ...body] = records
  if (!head) return { entries: [], problems }
  const header = head.record.map((h) => h.trim())
  const headStarts = fieldStarts(head.raw, delimiter)
  header.forEach((h, i) => {
    if ((CSV_COLUMNS as readonly string[]).includes(h)) return
    problems.push({
      file,
      line: head.lines,
      col: headStarts[i]?.col ?? 1,
      message: `unknown column "${h}"`,
      fix: `rename or remove it; the columns are ${CSV_COLUMNS.join(', ')}`,
      severity: 'error',
    })
  })
  const entries: RawEntry[] = body.map(({ record, raw, lines }) => {
    const newlines = raw.replace(/\r?\n$/, '').split('\n').length - 1
    const first = lines - newlines
    const starts = fieldStarts(raw, delimiter)
    const row = new Map(header.map((h, i) => [h, record[i] ?? '']))
    const at = (i: number): Position => {
      const s = starts[i] ?? { line: 0, col: 1 }
      return { line: first + s.line, col: s.col }
    }
    return {
      raw: rowToRaw(row),
      start: at(0),
      locate: (path) => {
        const i = header.indexOf(columnOf(path))
        return at(Math.max(i, 0))
      },
    }
  })
  return { entries, problems }
}

function csvSyntax(err: unknown, file: string, text: string, delimiter: string): Problem {
  // csv-parse names the line and the field index; the field's column is found by scanning that line.
  const e = err as { message?: string; lines?: number; column?: number }
  const line = e.lines ?? 1
  const starts = fieldStarts(text.split('\n')[line - 1] ?? '', delimiter)
  return {
    file,
    line,
    col: typeof e.column === 'number' ? (starts[e.column]?.col ?? 1) : 1,
    message: `CSV syntax error: ${e.message ?? String(err)}`,
    fix: 'check the quotes and commas on this row; a cell with a comma, quote or line break needs "double quotes", and a " inside it is written ""',
    severity: 'error',
  }
}
