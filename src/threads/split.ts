import { graphemes } from './count.ts'

// @NOTE A quote is cut into posts where a reader would pause: after a sentence, else after a clause, else between
// words. Only a single "word" too long for any post (a long URL, a Burmese or Chinese run with no spaces) is cut
// inside: at the word boundaries Intl.Segmenter finds, and as the last resort between graphemes, never inside one.

/** How good a place to break, from best to worst. */
const BREAK = { paragraph: 5, sentence: 4, clause: 3, word: 2, subword: 1, grapheme: 0 } as const

export interface Atom {
  text: string
  /** What joins it to the atom before ('' inside a word). */
  sep: string
  /** How good a break before this atom is (see BREAK). */
  level: number
}

/** Spaces a line may break at: all but the no-break ones (U+00A0, U+2007, U+202F), which hold « and » to their words. */
export const BREAKING_SPACE = /[\t\n\v\f\r \u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]+/u
const BREAKING_SPACES = /([\t\n\v\f\r \u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]+)/u
const BREAKING_SPACE_ONLY = /^[\t\n\v\f\r \u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]+$/u

// Sentence and clause ends in the scripts we post in (Latin, CJK, Arabic, Burmese, Devanagari), then any closing
// quotation marks or brackets.
// A space may stand before a closing mark ("enfants. »", as French is often typed without no-break spaces).
const SENTENCE_END = /[.!?…。！？؟။।](?:\s*['"’”»)\]」』）])*$/u
const CLAUSE_END = /[,;:—–،؛、，；：၊](?:\s*['"’”»)\]」』）])*$/u
const OPENING = /^[\p{Ps}\p{Pi}]+$/u
/** A "word" that is only closing punctuation (` »`, ` ?`, ` :` typed with a space): it belongs to the word before. */
const CLOSING_ONLY = /^[\p{Pe}\p{Pf}.,;:!?…]+$/u
/** A "word" that is only opening punctuation (`« `, `¿ `): it belongs to the word after. */
const OPENING_ONLY = /^[\p{Ps}\p{Pi}¿¡]+$/u

function levelAfter(piece: string, otherwise: number): number {
  if (SENTENCE_END.test(piece)) return BREAK.sentence
  if (CLAUSE_END.test(piece)) return BREAK.clause
  return otherwise
}

/** A word too long for a post, in pieces: at Intl word boundaries first, then graphemes. */
function breakWord(word: string, fits: (s: string) => boolean, locale: string): Atom[] {
  const segmenter = new Intl.Segmenter(locale, { granularity: 'word' })
  // Punctuation stays with the word before it, an opening mark with the word after it.
  const pieces: string[] = []
  let pendingOpen = ''
  for (const s of segmenter.segment(word)) {
    if (OPENING.test(s.segment)) pendingOpen += s.segment
    else if (!s.isWordLike && pieces.length > 0 && !pendingOpen) pieces[pieces.length - 1] += s.segment
    else {
      pieces.push(pendingOpen + s.segment)
      pendingOpen = ''
    }
  }
  if (pendingOpen) pieces.push(pendingOpen)
  const atoms: Atom[] = []
  let level: number = BREAK.subword
  for (const piece of pieces) {
    if (fits(piece)) atoms.push({ text: piece, sep: '', level })
    else {
      const gs = graphemes(piece)
      for (const [i, g] of gs.entries())
        atoms.push({ text: g, sep: '', level: i === 0 ? level : BREAK.grapheme })
    }
    level = levelAfter(piece, BREAK.subword)
  }
  return atoms
}

/**
 * Whitespace-separated words as atoms; a word that cannot fit a post alone is broken further. Punctuation typed
 * apart from its word (`« Justice »`, `vraiment ?`) stays with it, so no post starts with » or ends with «.
 */
export function atomize(text: string, fits: (s: string) => boolean, locale = 'und'): Atom[] {
  const st: Atomizing = { atoms: [], level: BREAK.word, opening: '', paragraph: '' }
  for (const token of text.split(BREAKING_SPACES)) {
    if (token === '') continue
    const last = st.atoms.at(-1)
    if (BREAKING_SPACE_ONLY.test(token)) notePause(st, token)
    else if (last && !st.opening && CLOSING_ONLY.test(token)) {
      last.text += ` ${token}`
      st.level = levelAfter(last.text, BREAK.word)
    } else if (OPENING_ONLY.test(token)) st.opening += `${token} `
    else addWord(st, token, fits, locale)
  }
  const { atoms, opening, level } = st
  if (opening) atoms.push({ text: opening.trimEnd(), sep: atoms.length === 0 ? '' : ' ', level })
  return atoms
}

/** What atomize carries from one token to the next. */
interface Atomizing {
  atoms: Atom[]
  /** How good a break before the next word is. */
  level: number
  /** Opening punctuation typed apart (`« `), waiting for its word. */
  opening: string
  /** The paragraph break ('\n' or '\n\n') before the next word, or ''. */
  paragraph: string
}

/** Spaces between words: a line break in them ends a paragraph. */
function notePause(st: Atomizing, spaces: string): void {
  // Paragraph breaks are kept: a line break in the text is one the writer meant (YAML folds the others away).
  if (st.atoms.length > 0 && spaces.includes('\n')) {
    st.paragraph = /\n[^\n]*\n/u.test(spaces) ? '\n\n' : '\n'
    st.level = BREAK.paragraph
  }
}

/** A word (with any opening punctuation before it) as one atom, or in pieces when no post holds it. */
function addWord(st: Atomizing, token: string, fits: (s: string) => boolean, locale: string): void {
  const word = st.opening + token
  st.opening = ''
  const sep = st.atoms.length === 0 ? '' : st.paragraph || ' '
  st.paragraph = ''
  if (fits(word)) st.atoms.push({ text: word, sep, level: st.level })
  else {
    const [first, ...rest] = breakWord(word, fits, locale)
    if (first) st.atoms.push({ ...first, sep, level: st.level }, ...rest)
  }
  st.level = levelAfter(word, BREAK.word)
}

interface Candidate {
  text: string
  /** Index of the atom after the break. */
  next: number
  level: number
}

/** Atoms [start, end) as one post's text (the first atom's separator dropped). */
function joinAtoms(atoms: readonly Atom[], start: number, end: number): string {
  let text = ''
  for (let k = start; k < end; k++) {
    const a = atoms[k]
    if (a) text = k === start ? a.text : `${text}${a.sep}${a.text}`
  }
  return text
}

/** Where each post starts (atom indices), packed as `pack` describes. */
function packStarts(atoms: readonly Atom[], fits: (s: string) => boolean): number[] {
  const starts: number[] = []
  let i = 0
  while (i < atoms.length) {
    const first = atoms[i]
    if (!first) break
    const candidates: Candidate[] = []
    let text = first.text
    let k = i
    for (;;) {
      const after = atoms[k + 1]
      candidates.push({ text, next: k + 1, level: after ? after.level : Number.POSITIVE_INFINITY })
      if (!after) break
      const longer = `${text}${after.sep}${after.text}`
      if (!fits(longer)) break
      text = longer
      k++
    }
    starts.push(i)
    i = choose(candidates).next
  }
  return starts
}

/**
 * Packs atoms into posts that each pass `fits`. A post ends at a paragraph's end, else at the best break in
 * its second half (sentence, then clause), else at the last word break, else wherever it is full.
 */
function pack(atoms: readonly Atom[], fits: (s: string) => boolean): string[] {
  const starts = packStarts(atoms, fits)
  return starts.map((s, n) => joinAtoms(atoms, s, starts[n + 1] ?? atoms.length))
}

/**
 * Like `pack`, with `tail` (a credit) joined to the end by `sep`. @NOTE When the tail does not fit after the
 * last post, the last post gives it its closing words (from its best break, the halves as even as can be)
 * rather than leaving the tail alone: a closing post with no words of the quote reads the same in every
 * thread of an organisation, and X refuses a post that repeats an earlier one.
 */
export function packWithTail(
  atoms: readonly Atom[],
  tail: string,
  sep: string,
  fits: (s: string) => boolean,
): string[] {
  const starts = packStarts(atoms, fits)
  const posts = starts.map((s, n) => joinAtoms(atoms, s, starts[n + 1] ?? atoms.length))
  const lastStart = starts.at(-1)
  const last = posts.at(-1)
  if (lastStart === undefined || last === undefined) return [tail]
  if (fits(`${last}${sep}${tail}`)) return [...posts.slice(0, -1), `${last}${sep}${tail}`]
  let best: { k: number; level: number; balance: number } | undefined
  // From the end backwards: the closing words only grow, so the first that do not fit end the search.
  for (let k = atoms.length - 1; k > lastStart; k--) {
    const level = atoms[k]?.level ?? BREAK.grapheme
    if (level < BREAK.word) continue
    const end = joinAtoms(atoms, k, atoms.length)
    if (!fits(`${end}${sep}${tail}`)) break
    const balance = Math.abs(joinAtoms(atoms, lastStart, k).length - end.length)
    if (!best || level > best.level || (level === best.level && balance < best.balance))
      best = { k, level, balance }
  }
  if (!best) return [...posts, tail]
  return [
    ...posts.slice(0, -1),
    joinAtoms(atoms, lastStart, best.k),
    `${joinAtoms(atoms, best.k, atoms.length)}${sep}${tail}`,
  ]
}

function choose(candidates: readonly Candidate[]): Candidate {
  const last = candidates[candidates.length - 1]
  if (!last) throw new Error('pack: no candidate break')
  if (last.level === Number.POSITIVE_INFINITY) return last
  // A paragraph's end is where the writer paused: a post ends there whenever the paragraph fits.
  const paragraph = candidates.findLast((x) => x.level >= BREAK.paragraph)
  if (paragraph) return paragraph
  const half = last.text.length / 2
  for (const level of [BREAK.sentence, BREAK.clause]) {
    const c = candidates.findLast((x) => x.level >= level && x.text.length >= half)
    if (c) return c
  }
  for (const level of [BREAK.word, BREAK.subword]) {
    const c = candidates.findLast((x) => x.level >= level)
    if (c) return c
  }
  return last
}

/** Splits text into posts that each pass `fits`, keeping every word, in order. */
export function splitText(text: string, fits: (s: string) => boolean, locale = 'und'): string[] {
  return pack(atomize(text, fits, locale), fits)
}
