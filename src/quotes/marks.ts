// @NOTE A quote is shown in quotation marks (in threads, hooks and alt text) unless its text already opens with
// one: a statement that quotes someone and goes on (`« La Cour… » Nous appelons…`) keeps its own marks, word
// for word, and is not wrapped again into « « … » … ».

const OPENS_WITH_MARK = /^[«“„‘"‹「『]/u

export function carriesOwnMarks(text: string): boolean {
  return OPENS_WITH_MARK.test(text.trim())
}
