import { randomBytes } from 'node:crypto'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { isMap, isScalar, isSeq, parseDocument } from 'yaml'
import { csvDelimiter } from './csv-file.ts'
import type { Quote } from './schema.ts'

// @NOTE Consent changes from the page are written where the quote lives and nowhere else: in YAML only the
// `status` value is replaced (comments, quoting and layout of everything else stay byte for byte), in CSV only
// that quote's row is written again. The file is replaced by rename, so a worker never reads half of it.

export type ConsentStatus = Quote['consent']['status']

export class ConsentEditError extends Error {
  override name = 'ConsentEditError'
}

export async function setConsentStatus(file: string, quoteId: string, status: ConsentStatus): Promise<void> {
  const text = await readFile(file, 'utf8')
  const next = /\.csv$/i.test(file)
    ? csvWithStatus(text, quoteId, status)
    : yamlWithStatus(text, quoteId, status)
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  await writeFile(tmp, next, 'utf8')
  await rename(tmp, file)
}

function yamlWithStatus(text: string, quoteId: string, status: ConsentStatus): string {
  const doc = parseDocument(text)
  const root = doc.contents
  if (doc.errors.length > 0 || !isSeq(root))
    throw new ConsentEditError('the quotes file does not read cleanly')
  const item = root.items.find((i) => {
    const id = isMap(i) ? i.get('id', true) : undefined
    return isScalar(id) && String(id.value) === quoteId
  })
  const consent = isMap(item) ? item.get('consent', true) : undefined
  const value = isMap(consent) ? consent.get('status', true) : undefined
  const range = isScalar(value) ? value.range : undefined
  if (!range)
    throw new ConsentEditError(
      `quote ${quoteId} has no consent.status of its own to change (write it by hand)`,
    )
  return `${text.slice(0, range[0])}${status}${text.slice(range[1])}`
}

function csvWithStatus(text: string, quoteId: string, status: ConsentStatus): string {
  const delimiter = csvDelimiter(text)
  const rows = parse(text, { delimiter, bom: true, raw: true, skip_empty_lines: true }) as unknown as {
    record: string[]
    raw: string
  }[]
  const [head, ...body] = rows
  const idCol = head?.record.findIndex((h) => h.trim() === 'id') ?? -1
  const col = head?.record.findIndex((h) => h.trim() === 'consent') ?? -1
  if (idCol < 0 || col < 0) throw new ConsentEditError('the quotes file has no id or consent column')
  // Each record's raw text is found in order, so the offset of the row to replace is exact.
  let at = head ? text.indexOf(head.raw) + head.raw.length : 0
  for (const row of body) {
    const start = text.indexOf(row.raw, at)
    at = start + row.raw.length
    if (row.record[idCol]?.trim() !== quoteId) continue
    const eol = /\r\n$/.test(row.raw) ? '\r\n' : /\n$/.test(row.raw) ? '\n' : ''
    const record = row.record.map((v, i) => (i === col ? status : v))
    const line = stringify([record], { delimiter, record_delimiter: eol === '' ? '\n' : eol })
    return `${text.slice(0, start)}${eol === '' ? line.replace(/\r?\n$/, '') : line}${text.slice(at)}`
  }
  throw new ConsentEditError(`quote ${quoteId} is not in this file`)
}
