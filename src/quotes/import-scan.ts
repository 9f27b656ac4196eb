// @NOTE Finds quoted passages in a statement's plain text. Staff paste statements from Word, web pages and
// e-mails, so straight and curly marks mix ("…” opens straight and closes curly) and closes go missing.

export interface Paragraph {
  /** Offset of the paragraph's first character in the text. */
  start: number
  text: string
}

export interface Passage {
  /** The words inside the marks, as written. */
  text: string
  paragraph: number
  /** Offsets in the paragraph: opening mark, and just after the closing mark (or the paragraph's end). */
  open: number
  end: number
  /** `glued`: a closing mark with letters straight after it (`met”none`), so the close is not a real one. */
  closed: 'yes' | 'glued' | 'open'
}

const OPENERS = new Set(['“', '"', '«', '„'])
const CLOSERS: Record<string, string[]> = { '“': ['”', '"'], '"': ['"', '”'], '«': ['»'], '„': ['“', '”'] }
const MIN_WORDS = 6

/** Normalises what word processors add (no-break spaces, CR) without moving any offset. */
export function normalise(text: string): string {
  return text.replace(/\r/g, ' ').replace(/[\u00a0\u202f\u2007]/g, ' ')
}

export function paragraphs(text: string): Paragraph[] {
  const out: Paragraph[] = []
  const re = /[^\n]*(?:\n(?![ \t]*\n)[^\n]*)*/g
  for (const m of text.matchAll(re)) {
    if (m[0].trim() === '') continue
    // A match may begin on the blank line's line break: the paragraph starts after it.
    const lead = /^\n*/.exec(m[0])?.[0].length ?? 0
    out.push({ start: (m.index ?? 0) + lead, text: m[0].slice(lead) })
  }
  return out
}

function isOpener(p: string, i: number): boolean {
  const ch = p[i] ?? ''
  if (!OPENERS.has(ch)) return false
  const before = i === 0 ? ' ' : (p[i - 1] ?? ' ')
  const after = p[i + 1] ?? ' '
  return /[\s([—–:;-]/.test(before) && (ch === '«' || /\S/.test(after))
}

/** A closing mark, and whether letters follow it straight away. */
interface Close {
  at: number
  glued: boolean
}

function findClose(p: string, from: number, opener: string): Close | undefined {
  const closers = CLOSERS[opener] ?? []
  for (let i = from; i < p.length; i++) {
    const ch = p[i] ?? ''
    if (!closers.includes(ch)) continue
    // A straight " preceded by a space opens the next quotation rather than closing this one.
    if (ch === '"' && /\s/.test(p[i - 1] ?? ' ')) continue
    return { at: i, glued: /[\p{L}\p{N}]/u.test(p[i + 1] ?? '') }
  }
  return undefined
}

const words = (s: string) => s.split(/\s+/).filter((w) => w !== '').length

/** Quoted passages of each paragraph; short quoted phrases inside prose ("a test of credibility") are not quotes. */
export function findPassages(paras: Paragraph[]): Passage[] {
  return paras.flatMap((para, n) => passagesOf(para.text, n))
}

/** The quoted passages of paragraph `n` (its text `p`), left to right. */
function passagesOf(p: string, n: number): Passage[] {
  const out: Passage[] = []
  let i = 0
  while (i < p.length) {
    if (!isOpener(p, i)) {
      i++
      continue
    }
    const close = findClose(p, i + 1, p[i] ?? '')
    const passage = passageAt(p, n, i, close)
    if (passage) out.push(passage)
    i = close ? close.at + 1 : p.length
  }
  return out
}

/** The quotation opened at `i`, unless it is a short phrase quoted inside prose. */
function passageAt(p: string, n: number, i: number, close: Close | undefined): Passage | undefined {
  // An unclosed quote on a quote sheet stops before its "— Name, Role" line.
  const dash = /\n\s*[—–]\s/.exec(p.slice(i))
  const end = close ? close.at : dash ? i + dash.index : p.length
  const inner = p.slice(i + 1, end).trim()
  const startsLine = p.slice(0, i).split('\n').at(-1)?.trim() === ''
  // A quotation that is a whole line ("Name, Role:" then « La Cour doit agir. ») is a quote however short.
  const restOfLine = close ? (p.slice(close.at + 1).split('\n')[0] ?? '').trim() : ''
  const wholeLine = startsLine && /^[.,;:!?]*$/.test(restOfLine)
  if (words(inner) < MIN_WORDS && !wholeLine) return undefined
  return {
    text: inner.replace(/\s*\n\s*/g, ' '),
    paragraph: n,
    open: i,
    end: close ? close.at + 1 : end,
    closed: close ? (close.glued ? 'glued' : 'yes') : 'open',
  }
}
