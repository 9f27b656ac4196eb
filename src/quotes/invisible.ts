import type { FieldPath, Finding } from './finding.ts'

// @NOTE Invisible characters in words that end up on a page, a card and a public post: a right-to-left override
// (U+202E) in a speaker's name reorders the text around it ("Trojan Source"), and no one reviewing the bank can
// see it. Joiners (U+200C/U+200D) are left alone: Persian, Arabic and Indic spelling and emoji sequences need
// them; so are the tag characters of flag emoji.

const BIDI: Record<string, string> = {
  '\u202A': 'LEFT-TO-RIGHT EMBEDDING',
  '\u202B': 'RIGHT-TO-LEFT EMBEDDING',
  '\u202C': 'POP DIRECTIONAL FORMATTING',
  '\u202D': 'LEFT-TO-RIGHT OVERRIDE',
  '\u202E': 'RIGHT-TO-LEFT OVERRIDE',
  '\u2066': 'LEFT-TO-RIGHT ISOLATE',
  '\u2067': 'RIGHT-TO-LEFT ISOLATE',
  '\u2068': 'FIRST STRONG ISOLATE',
  '\u2069': 'POP DIRECTIONAL ISOLATE',
  '\u200E': 'LEFT-TO-RIGHT MARK',
  '\u200F': 'RIGHT-TO-LEFT MARK',
  '\u061C': 'ARABIC LETTER MARK',
}

const ALLOWED = /^(?:\u200C|\u200D|[\u{E0020}-\u{E007F}])$/u
const FORMAT = /\p{Cf}/gu

function hex(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
}

function findingFor(text: string, path: FieldPath): Finding | undefined {
  for (const m of text.matchAll(FORMAT)) {
    const ch = m[0]
    if (ALLOWED.test(ch)) continue
    const name = BIDI[ch]
    const where = `${path.join('.')} has ${hex(ch)}${name ? ` (${name})` : ', an invisible format character,'} at character ${[...text.slice(0, m.index)].length + 1}`
    return {
      path,
      message: name ? `${where}: it can reorder the text around it` : `${where}`,
      fix: name
        ? 'delete it (retype the value if you cannot see it); the page and the cards set the direction of each text themselves'
        : 'delete it (retype the value if you cannot see it); Burmese lines are broken by the card itself',
      severity: 'error',
    }
  }
  return undefined
}

const ANY_FORMAT = /\p{Cf}/u
/** A format character as itself, or an escape that could make one (`\xAD`, `\u202E`, `\U000E0001`). */
const FORMAT_OR_ESCAPE = /\p{Cf}|\\[xuU]/u

/**
 * Whether any value read from this file's text could hold a format character. @NOTE Walking every string of
 * a 10,000-quote bank took 90–105 ms (a quarter of a million tests); one test of the text, 30–50 ms, is a
 * third to a half of that, and a file without one (the usual case) needs no walk at all. YAML's escapes are
 * the only way to a character not in the text: \x, \u and \U can make one; its others (\N, \_, \L, \P…)
 * make no format character, and CSV has no escapes.
 */
export const mayHoldInvisible = (text: string): boolean => FORMAT_OR_ESCAPE.test(text)

/** One error for each string in `value` (a quote or a campaign, walked whole) that holds an invisible control. */
export function invisibleFindings(value: unknown, path: FieldPath = []): Finding[] {
  const out: Finding[] = []
  walk(value, [...path], out)
  return out
}

// One path array, grown and shrunk on the way down and copied only for a finding: a bank of 10,000 quotes has
// a quarter of a million strings, and almost none holds a format character.
function walk(value: unknown, path: FieldPath, out: Finding[]): void {
  if (typeof value === 'string') {
    const f = ANY_FORMAT.test(value) ? findingFor(value, [...path]) : undefined
    if (f) out.push(f)
  } else if (Array.isArray(value)) {
    value.forEach((v: unknown, i) => {
      path.push(i)
      walk(v, path, out)
      path.pop()
    })
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      path.push(k)
      walk(v, path, out)
      path.pop()
    }
  }
}
