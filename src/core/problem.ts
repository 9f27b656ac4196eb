// A user's mistake in an input file: printed as `file:line:col  message  (fix)`, never as a stack trace.
export interface Problem {
  file: string
  line: number
  col: number
  message: string
  fix: string
  /** The quote the problem belongs to, when there is one: that quote is left out, the others go on. */
  quoteId?: string
  severity: 'error' | 'warning'
}

export function formatProblem(p: Problem): string {
  // Line 0 means the file or folder as a whole (missing, unreadable): no position to point at.
  const at = p.line > 0 ? `${p.file}:${p.line}:${p.col}` : p.file
  return `${at}  ${p.message}  (${p.fix})`
}

/** Thrown when an input cannot be used at all (e.g. the campaign file is broken). */
export class InputError extends Error {
  override name = 'InputError'
  constructor(
    readonly problems: Problem[],
    options?: { cause?: unknown },
  ) {
    super(problems.map(formatProblem).join('\n'), options)
  }
}

/** One problem that has no line in a file (a path, an argument, a setting): `where  message  (fix)`. */
export function inputError(
  where: string,
  message: string,
  fix: string,
  options?: { cause?: unknown },
): InputError {
  return new InputError([{ file: where, line: 0, col: 0, message, fix, severity: 'error' }], options)
}
