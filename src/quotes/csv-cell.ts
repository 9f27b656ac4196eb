// @NOTE OWASP "CSV injection": a spreadsheet runs a cell that begins with = + - @ (or a tab or carriage return
// before one) as a formula, so an organisation named `=HYPERLINK(…)` would become a live link in a comms
// officer's Excel. Such a cell is written with a leading apostrophe, which spreadsheets read as "this is text"
// and do not show; our own reader takes the apostrophe off again, so a round trip gives back the text.

// Apostrophes already in front of such a start get one more, so a text that really begins `'=` survives too.
const FORMULA_START = /^'*[=+\-@\t\r]/

/** A cell as written to a CSV file: text that a spreadsheet will not run. */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value
}

/** A cell as read from a CSV file: the inverse of neutraliseCell. */
export function restoreCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value) ? value.slice(1) : value
}

/** csv-stringify's option that neutralises every text cell. */
export const neutraliseStrings = { string: neutraliseCell }
