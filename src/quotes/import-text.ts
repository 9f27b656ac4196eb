import type { Heading, Organisation } from './import-attribution.ts'
import { MAX_CARD_CHARS } from './limits.ts'

// @NOTE The words-level choices of a draft: its id, its situation, its card excerpt, its language.

const STOP = new Set(
  'a an and are as at be by for from has have in is it its of on or our that the their this to we with will was were which who'.split(
    ' ',
  ),
)

function slug(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

export function makeId(
  org: Organisation | undefined,
  who: string | undefined,
  text: string,
  taken: Set<string>,
): string {
  const words = slug(text)
    .split('-')
    .filter((w) => w.length > 1 && !STOP.has(w))
    .slice(0, 3)
  const orgPart = slug(org?.short ?? org?.name ?? 'unattributed')
  const shortOrg = orgPart.length <= 24 ? orgPart : orgPart.slice(0, 25).replace(/-[^-]*$/, '')
  const parts = [shortOrg, who ? slug(who) : '', ...words]
  let base = parts.filter((p) => p !== '').join('-')
  if (base.length > 60) base = base.slice(0, 60).replace(/-[^-]*$/, '')
  let id = base
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`
  taken.add(id)
  return id
}

/** Of the heading's situations, the one the passage speaks about (mentions most); undefined when unclear. */
export function situationOf(text: string, heading: Heading | undefined): string | undefined {
  const all = heading?.situations ?? []
  if (all.length <= 1) return all[0]
  const hits = all.map((s) => ({
    s,
    n: text.split(new RegExp(`\\b${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i')).length - 1,
  }))
  const best = hits.filter((h) => h.n > 0).sort((a, b) => b.n - a.n)
  return best[0] && best[0].n !== best[1]?.n ? best[0].s : undefined
}

/**
 * A card-sized excerpt of a long quote: whole sentences from the start, and the last sentence when it fits,
 * with […] for what is left out. Undefined when the quote fits a card, or not even one sentence fits.
 */
export function draftExcerpt(text: string): string | undefined {
  if ([...text].length <= MAX_CARD_CHARS) return undefined
  const sentences = text.split(/(?<=[.!?…])\s+/)
  const len = (parts: string[]) => [...parts.join(' ')].length
  const head: string[] = []
  const last = sentences.at(-1) ?? ''
  for (const s of sentences.slice(0, -1)) {
    if (len([...head, s, '[…]', last]) > MAX_CARD_CHARS) break
    head.push(s)
  }
  if (head.length > 0) return [...head, '[…]', last].join(' ')
  for (const s of sentences.slice(0, -1)) {
    if (len([...head, s, '[…]']) > MAX_CARD_CHARS) break
    head.push(s)
  }
  return head.length > 0 ? [...head, '[…]'].join(' ') : undefined
}

export function guessLanguage(text: string): string {
  const count = (re: RegExp) => (text.match(re) ?? []).length
  const fr = count(/\b(le|la|les|des|est|une|pour|dans|que|qui)\b/gi)
  const es = count(/\b(el|los|las|del|una|para|que|por|con|es)\b/gi)
  const en = count(/\b(the|and|of|to|is|that|for|with|are)\b/gi)
  if (fr > en && fr >= es) return 'fr'
  if (es > en && es > fr) return 'es'
  return 'en'
}

/** A quote cut before "she said" ends in a comma (inside or, in French, outside the marks): on its own it ends. */
export function finishSentence(body: string, after: string): string {
  const commaAfter = /^\s*,/.test(after)
  const ended = body.replace(/,$/, '.')
  return commaAfter && !/[.!?…]$/.test(ended) ? `${ended}.` : ended
}
