import { DateTime } from 'luxon'

// @NOTE How statements name who speaks: a heading naming the organisation (and the situations), a
// "Name, Role:" line, or words around the quote ("…quote by Nur, a Rohingya victim:", "…,” said Maria Pérez,
// director of …"). Each pattern is one small function, so a new statement shape is one more function.

export interface Organisation {
  name: string
  short?: string
}

export interface Speaker {
  name?: string
  role?: string
  victim?: boolean
  anonymous?: boolean
}

export interface Heading {
  organisation: Organisation
  situations: string[]
}

const PARTICLE = '(?:al|el|bin|ibn|de|da|del|della|di|do|dos|du|van|von|der|den|la|le|y)'
const NAME_WORD = `(?:[\\p{Lu}][\\p{L}'’.-]*|${PARTICLE})`
/** 1–5 capitalised words (with particles such as "van", "al"): a person's name. */
const NAME = `[\\p{Lu}][\\p{L}'’.-]*(?:\\s+${NAME_WORD}){0,4}`
const SAID =
  '(?:said|says|stated|added|explained|warned|noted|told [\\p{L} ]+?|(?:a\\s+)?(?:déclaré|ajouté|souligné|affirmé|dit)|déclare|ajoute|souligne|afirmó|dijo|declaró)'

const clean = (s: string) => s.replace(/\s+/g, ' ').trim()
const stripThe = (s: string) => s.replace(/^the\s+/i, '')

function isName(s: string): boolean {
  return new RegExp(`^${NAME}$`, 'u').test(clean(s))
}

function speaker(name: string | undefined, role: string | undefined): Speaker {
  const r = role === undefined ? undefined : clean(role).replace(/[,.:;]+$/, '')
  const out: Speaker = {}
  if (name) out.name = clean(name)
  if (r) out.role = r
  // "a Rohingya victim", "A survivor of …" are victims; "a lawyer for victims", "avocat des victimes" are not.
  if (r && /^(?:an?|une?|the|la|le)?\s*(?:[\p{L}-]+\s+)?(?:victim|survivor|victime|survivant)/iu.test(r))
    out.victim = true
  if (r && /not to be named|anonymous|anonymity/i.test(r)) out.anonymous = true
  return out
}

/** An acronym-like parenthesis "(AJAR)", "(AFC-ICC)" is a short name; "(Kenya)" is a place. */
function splitShort(s: string): { name: string; short?: string; place?: string } {
  const m = /^(.*?)\s*\(([^()]+)\)\s*$/.exec(s)
  if (!m?.[1] || !m[2]) return { name: clean(s) }
  const inner = clean(m[2])
  const upper = (inner.match(/\p{Lu}/gu) ?? []).length
  if (!inner.includes(' ') && upper >= 2) return { name: clean(m[1]), short: inner }
  return { name: clean(m[1]), place: inner }
}

/** "on the situation in", "sur la situation en", "sobre la situación en" (and the plurals). */
const ON_SITUATION =
  /^(.*?)\s+(?:on\s+(?:the\s+)?situations?\s+(?:in|of)|sur\s+(?:la\s+|les\s+)?situations?\s+(?:en|au|aux|dans|de|du|des)|sobre\s+(?:la\s+|las\s+)?situaci(?:ó|o)n(?:es)?\s+(?:en|de))\s+(.+)$/iu
/** Between two situations: "and in", "et en", "y en". */
const AND_SITUATION =
  /\s*,\s*|\s+(?:and\s+(?:in\s+|of\s+)?|et\s+(?:en\s+|au\s+|aux\s+|dans\s+)?|y\s+(?:en\s+)?)/iu

/** "Org (SHORT) on the situation in A and in B" (also in French and Spanish), "Org, Country", "Org — Country". */
export function parseHeading(line: string): Heading {
  const s = clean(line.replace(/^#+\s+/, '').replace(/[:\s]+$/, ''))
  const on = ON_SITUATION.exec(s)
  let org = s
  let situations: string[] = []
  if (on?.[1] && on[2]) {
    org = on[1]
    situations = on[2].split(AND_SITUATION).map((x) => stripThe(clean(x)))
  } else {
    const dash = /^(.*?)\s+[—–-]\s+(.+)$/.exec(s) ?? /^(.*),\s*([^,]+)$/.exec(s)
    // A year after the comma is a date, never a situation ("…, 2005").
    if (dash?.[1] && dash[2] && dash[2].split(' ').length <= 3 && !/^\(?\d{4}\)?$/.test(dash[2].trim())) {
      org = dash[1]
      situations = [stripThe(clean(dash[2]))]
    }
  }
  const { name, short, place } = splitShort(org)
  if (place) situations = [place, ...situations]
  return { organisation: short ? { name, short } : { name }, situations: situations.filter((x) => x !== '') }
}

/**
 * A line that only names the speaker: "Diana Alzeer, Head of Outreach and Communications:", or, with no colon,
 * "Kofi Annan, former Secretary-General of the United Nations, 2005" (a person's name, then who they are).
 */
export function speakerLine(line: string): Speaker | undefined {
  const s = clean(line)
  const m =
    new RegExp(`^(${NAME}),\\s+(.+):$`, 'u').exec(s) ??
    new RegExp(`^(${NAME})\\s*\\((.+)\\):$`, 'u').exec(s) ??
    new RegExp(`^(${NAME}):$`, 'u').exec(s)
  if (!m?.[1] || s.split(' ').length > 40) return personLine(s)
  return speaker(m[1], m[2])
}

/**
 * "Name, who they are[, year]" on a line of its own, with no dash or colon: a person when the part before the
 * first comma is a name and not an organisation's ("Human Rights Watch, New York" is not a person).
 */
export function personLine(line: string): Speaker | undefined {
  const s = clean(line)
  const m = new RegExp(`^(${NAME}),\\s+([^:]+)$`, 'u').exec(s)
  if (!m?.[1] || !m[2] || ORGANISATION_WORD.test(m[1]) || s.split(' ').length > 25) return undefined
  if (/[.!?]$/.test(s)) return undefined
  // Who they are reads as a role ("former …", "a Rohingya victim"), ends with a year, or names where they work;
  // "Al-Haq, Palestine" (an organisation and a place) does none of these.
  const role = m[2]
  const isRole =
    /^\p{Ll}/u.test(role) ||
    TRAILING_DATE.test(role) ||
    (m[1].includes(' ') && /\b(?:of|at|with)\s+(?:the\s+)?\p{Lu}/u.test(role))
  return isRole ? speaker(m[1], role) : undefined
}

/** "— Jane Wanjiru, Programme Officer" on its own line (a quote sheet), or "– A survivor, …". */
export function dashLine(text: string): Speaker | undefined {
  const m = /^\s*[—–-]\s*(.+)$/.exec(text)
  if (!m?.[1]) return personLine(text)
  const [first, ...rest] = m[1].split(',')
  if (first && isName(first)) return speaker(first, rest.join(',') || undefined)
  return { ...speaker(undefined, m[1]), anonymous: true }
}

/** Words before a quote: "…the following quote by Nur, a Rohingya victim:", "Ahmad Yusuf, a lawyer, said:". */
export function attributionBefore(text: string): Speaker | undefined {
  const s = clean(text)
  const by = new RegExp(
    `(?:quote|statement|words|message|testimony|citation|déclaration|témoignage|mots|cita|declaración|testimonio)(?:\\s+suivante|\\s+siguiente)?\\s+(?:by|from|de|d[’'])\\s*(${NAME}),\\s*([^:]+?)\\s*:?$`,
    'iu',
  ).exec(s)
  if (by?.[1]) return speaker(by[1], by[2])
  const said = new RegExp(`(?:^|[.!?]\\s+)(${NAME}),\\s+([^:]+?),?\\s+${SAID}\\s*[:,]?$`, 'u').exec(s)
  if (said?.[1]) return speaker(said[1], said[2])
  const plain = new RegExp(`(?:^|[.!?]\\s+)(${NAME})\\s+${SAID}\\s*[:,]?$`, 'u').exec(s)
  if (plain?.[1]) return speaker(plain[1], undefined)
  const acc = new RegExp(`According to (${NAME}),\\s*([^,]+),?$`, 'u').exec(s)
  if (acc?.[1]) return speaker(acc[1], acc[2])
  return undefined
}

/** Words after a quote: "…,” said Maria Pérez, director of the Latin American Justice Network." */
export function attributionAfter(text: string): Speaker | undefined {
  const s = clean(text)
  const said = new RegExp(`^[,.]?\\s*${SAID}\\s+(${NAME})(?:,\\s+([^.;]+))?`, 'u').exec(s)
  if (said?.[1]) return speaker(said[1], said[2])
  const named = new RegExp(`^[,.]?\\s*(${NAME}),\\s+([^,]+),\\s+${SAID}`, 'u').exec(s)
  if (named?.[1]) return speaker(named[1], named[2])
  return dashLine(s)
}

/** Words that make a name an organisation's rather than a place's ("… Justice Network", "Human Rights Watch"). */
const ORGANISATION_WORD =
  /\b(?:Network|Coalition|Court|Nations|Watch|International|Forum|Cent(?:re|er)|Institute|Association|Federation|Fédération|Foundation|Fund|Commission|Council|Committee|Union|Organi[sz]ation|Society|League|Alliance|Rights|Office|Ministry|University|Amnesty|Collective|Colectivo|Red|Réseau|Ligue)\b/u
/** A date at the end of an attribution: ", 2005", " (2019)", ", on 4 December 2023", ", le 4 décembre 2023". */
const TRAILING_DATE =
  /(?:,\s*|\s+)\(?(?:(?:on|in|en|le|el)\s+)?(\d{1,2}(?:er)?\s+\p{L}+\s+\d{4}|\p{L}+\s+\d{1,2},\s+\d{4}|\d{4}-\d{2}-\d{2}|(?:19|20)\d{2})\)?\s*$/u

/** "Women's Initiatives for Gender Justice (WIGJ)", "FIDH (FIDH) sur …", "Human Rights Watch": an organisation's name. */
export function looksLikeOrganisation(line: string): boolean {
  return ORGANISATION_WORD.test(line) || /\(\p{Lu}[\p{Lu}\d&-]+\)/u.test(line)
}

export interface RoleParts {
  role?: string
  organisation?: Organisation
  /** A place named after the role ("witness, Democratic Republic of the Congo"): the quote's situation. */
  place?: string
  /** When the words were said, as written or as YYYY-MM-DD / YYYY. */
  date?: string
}

/** "4 December 2023" → "2023-12-04"; a year stays a year; anything else as written. */
function isoDate(written: string): string {
  if (/^\d{4}(-\d{2}-\d{2})?$/.test(written)) return written
  for (const [format, locale] of [
    ['d MMMM yyyy', 'en'],
    ['MMMM d, yyyy', 'en'],
    ['d MMMM yyyy', 'fr'],
    ['d MMMM yyyy', 'es'],
  ] as const) {
    const dt = DateTime.fromFormat(written.replace(/(\d)er\b/, '$1'), format, { locale, zone: 'utc' })
    if (dt.isValid) return dt.toISODate() ?? written
  }
  return written
}

/**
 * An attribution's role, taken apart: "former Secretary-General of the United Nations, 2005" → role "former
 * Secretary-General", organisation "United Nations", date "2005"; "witness, Democratic Republic of the Congo"
 * → role "witness", place "Democratic Republic of the Congo". A year is never a place or an organisation.
 */
export function splitRole(written: string, opts: { organisationInRole?: boolean } = {}): RoleParts {
  const out: RoleParts = {}
  let rest = clean(written).replace(/[,.:;]+$/, '')
  const date = TRAILING_DATE.exec(rest)
  if (date?.[1]) {
    out.date = isoDate(date[1])
    rest = rest.slice(0, date.index).trim()
  }
  const [first = '', ...others] = rest.split(/,\s*/)
  // Parts that are neither ("who asked not to be named") stay in the role.
  const kept = [first]
  for (const part of others) {
    if (!out.organisation && ORGANISATION_WORD.test(part)) {
      const { name, short } = splitShort(part.replace(/^(?:the|la|le|l[’'])\s*/i, ''))
      out.organisation = short ? { name, short } : { name }
    } else if (!out.place && /^\p{Lu}/u.test(part) && !ORGANISATION_WORD.test(part))
      out.place = stripThe(part)
    else kept.push(part)
  }
  const head = kept.join(', ')
  const inRole = opts.organisationInRole === false ? undefined : organisationInRole(head)
  if (inRole && !out.organisation) {
    out.organisation = inRole.organisation
    if (inRole.role) out.role = inRole.role
  } else if (head) out.role = head
  return out
}

/**
 * "director of the Latin American Justice Network" → role "director", organisation "Latin American …";
 * "International Justice Director at Human Rights Watch" → "International Justice Director", "Human Rights Watch".
 */
function organisationInRole(role: string): { role: string; organisation: Organisation } | undefined {
  // A role written in lower case ("director of …", "a lawyer with …") carries its organisation after any of
  // these words; a title ("Head of Outreach and Communications") only after "at", "with" or "of the".
  const m = /^\p{Ll}/u.test(role)
    ? /^(.*?)\s+(?:of|with|at|de|du|des|auprès de)\s+(?:the\s+|la\s+|l[’'])?(\p{Lu}.*)$/u.exec(role)
    : /^(.*?)\s+(?:at|with|of\s+the)\s+(?:the\s+)?(\p{Lu}.*)$/u.exec(role)
  if (!m?.[1] || !m[2]) return undefined
  const { name, short } = splitShort(m[2])
  return { role: m[1], organisation: short ? { name, short } : { name } }
}
