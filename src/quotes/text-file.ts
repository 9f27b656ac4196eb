import type { Problem } from '../core/problem.ts'

// @NOTE Spreadsheets on Windows save "CSV" as Windows-1252 unless told "CSV UTF-8". Read as UTF-8, its curly
// quotes and accented letters would silently become U+FFFD and be posted that way; we say where instead.

const strict = new TextDecoder('utf-8', { fatal: true })
const lenient = new TextDecoder('utf-8')

/** The file's text, or the first place where it is not UTF-8. A leading byte-order mark is dropped. */
export function decodeUtf8(bytes: Uint8Array, file: string): { text: string } | { problem: Problem } {
  try {
    return { text: strict.decode(bytes) }
  } catch {
    // Lines end at byte 0x0A, which never occurs inside a UTF-8 sequence: the first line that fails is the place.
    let start = 0
    for (let line = 1; start <= bytes.length; line++) {
      const newline = bytes.indexOf(0x0a, start)
      const end = newline === -1 ? bytes.length : newline
      const raw = bytes.subarray(start, end)
      try {
        strict.decode(raw)
      } catch {
        const shown = lenient.decode(raw)
        const before = shown.slice(0, Math.max(0, shown.indexOf('\ufffd')))
        const byte = raw[Buffer.byteLength(before)] ?? 0
        return {
          problem: {
            file,
            line,
            col: [...before].length + 1,
            message: `the file is not UTF-8 text (byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} here): spreadsheet programs on Windows save "CSV" as Windows-1252, and its quotation marks and accents would be posted as �`,
            fix: 'save it as "CSV UTF-8", or convert it: iconv -f windows-1252 -t utf-8 in.csv > out.csv',
            severity: 'error',
          },
        }
      }
      start = end + 1
    }
    return { text: lenient.decode(bytes) }
  }
}
