import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import satori, { type SatoriNode } from 'satori'
import type { Campaign } from '../campaign/schema.ts'
import type { Quote } from '../quotes/schema.ts'
import { attribution, cardText } from './attribution.ts'
import { uncoveredCharacters } from './coverage.ts'
import { emojiDataUri } from './emoji.ts'
import { predictAttributionScale, predictQuoteSize } from './fit.ts'
import { CardFitError } from './fit-error.ts'
import { cardFonts } from './fonts.ts'
import { cardSite, footerOverflow } from './footer.ts'
import { GEOMETRY, INK_PAD_EM, INK_PAD_X } from './geometry.ts'
import { type CardContent, type CardSizes, cardElement } from './layout.tsx'
import { prepareText, scriptOf } from './text.ts'
import { cardTheme } from './theme.ts'

// @NOTE One satori pass per card in the common case: the fit is predicted from metrics and this pass both draws
// and verifies it (the quote's laid-out box must lie inside its box). A short prediction costs one more pass.

export type Format = keyof typeof GEOMETRY

export { CardFitError }

// satori 0.63 adds HarfBuzz's vertical mark offsets with the wrong sign (Arabic dots jump above the letter).
// patches/satori+0.63.2.patch fixes it; refuse to draw wrong Arabic if the patch was not applied.
// The same patch writes glyph outlines' coordinates (tenths of a pixel) without the general number-to-string
// conversion (a fifth of satori's time in a CPU profile, 2.2x faster), and each point after a contour's start
// relative to the one before, as differences of the rounded absolute tenths, so every point lands where it did:
// the same pixels on all 45 reference cards, in 39% less SVG (118 KB a card, was 195) for satori to write and resvg
// to parse (resvg: 17.5 M instructions a card, was 22.9). Unpatched is only slower.
let patchChecked = false
function checkSatoriPatched(): void {
  if (patchChecked) return
  const file = fileURLToPath(import.meta.resolve('satori'))
  if (!readFileSync(file, 'utf8').includes('z=c-Y.dy*b')) {
    throw new Error(
      `satori at ${file} is not patched (Arabic marks would be misplaced): run \`npx patch-package\``,
    )
  }
  patchChecked = true
}

type SatoriFonts = Parameters<typeof satori>[1]['fonts']

// @NOTE satori looks through every font it is given for each run of text, so passing all 34 subset files costs
// ~20 ms a card. A card gets only the base Latin subsets (wordmark, hashtags, site) plus the subsets that draw
// one of its characters. The arrays are memoised: satori caches parsed fonts per array.
const fontSets = new Map<string, SatoriFonts>()

function fontsFor(c: CardContent): SatoriFonts {
  const shown = [c.quote, c.attribution.primary, c.attribution.secondary ?? '', c.situation ?? '', c.site]
  const text = [...shown, ...c.hashtags, cardTheme().wordmark].join('')
  const points = new Set<number>()
  for (const ch of text) points.add(ch.codePointAt(0) ?? 0)
  const chosen = cardFonts().filter(
    (f) => f.name.endsWith('-latin') || [...points].some((cp) => f.metrics.glyphs.has(cp)),
  )
  const key = chosen.map((f) => `${f.name}/${f.weight}`).join(',')
  let set = fontSets.get(key)
  if (!set) {
    set = chosen.map((f) => ({ name: f.name, data: f.data, weight: f.weight, style: 'normal' as const }))
    fontSets.set(key, set)
  }
  return set
}

/** Everything the card shows, in the form the layout draws it. */
export function cardContent(quote: Quote, campaign: Campaign): CardContent {
  const text = cardText(quote)
  const a = attribution(quote)
  return {
    quote: prepareText(text, quote.language),
    script: scriptOf(text),
    attribution: {
      primary: prepareText(a.primary),
      ...(a.secondary ? { secondary: prepareText(a.secondary) } : {}),
    },
    ...(quote.situation ? { situation: prepareText(quote.situation) } : {}),
    hashtags: campaign.hashtags,
    site: cardSite(campaign),
  }
}

/**
 * Why this quote cannot be drawn on a card (in `format`, or in any format when none is given), or undefined when
 * it can. Cheap (metrics only): asked before every drawing.
 */
export function cardProblem(quote: Quote, campaign: Campaign, format?: Format): string | undefined {
  return problemOf(cardContent(quote, campaign), campaign, format)
}

function problemOf(c: CardContent, campaign: Campaign, format?: Format): string | undefined {
  const footer = footerOverflow(campaign)
  if (footer) return `${footer}: use fewer or shorter hashtags in campaign.yaml`
  const shown = [c.quote, c.attribution.primary, c.attribution.secondary ?? '', c.situation ?? ''].join('\n')
  const missing = uncoveredCharacters(shown)
  if (missing.length > 0) {
    const list = missing.map(
      (ch) => `"${ch}" U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`,
    )
    return `no card font draws ${list.join(', ')}: remove or replace ${missing.length > 1 ? 'them' : 'it'}`
  }
  for (const f of format ? [format] : (Object.keys(GEOMETRY) as Format[])) {
    if (predictQuoteSize(c.quote, c.script, GEOMETRY[f]) === undefined) {
      return `the card text is too long for the ${f} card at the smallest readable size (${GEOMETRY[f].quoteSize.min}px): add a shorter \`excerpt\` with left-out words marked […]`
    }
  }
  return undefined
}

interface Laid {
  svg: string
  sizes: CardSizes
  nodes: Map<string, SatoriNode>
}

async function layOut(c: CardContent, format: Format, sizes: CardSizes, hideQuote: boolean): Promise<Laid> {
  checkSatoriPatched()
  const g = GEOMETRY[format]
  const nodes = new Map<string, SatoriNode>()
  const element = cardElement(c, g, cardTheme(), sizes, { hideQuote })
  const svg = await satori(element, {
    width: g.width,
    height: g.height,
    fonts: fontsFor(c),
    loadAdditionalAsset: async (code, segment) => (code === 'emoji' ? emojiDataUri(segment) : []),
    // The measured nodes are named by `id` (satori's JSX types take no `key` on a <div>; satori draws no id).
    onNodeDetected: (n) => {
      const id: unknown = n.props.id
      if (typeof id === 'string') nodes.set(id, n)
    },
  })
  return { svg, sizes, nodes }
}

function overflows(
  inner: SatoriNode | undefined,
  outer: SatoriNode | undefined,
  pad = { x: 0, y: 0 },
): boolean {
  if (!inner || !outer) return true
  return inner.height + 2 * pad.y > outer.height + 0.5 || inner.width + 2 * pad.x > outer.width + 0.5
}

/** Lays out and draws the card as SVG, shrinking the quote (and attribution) until each fits its box. */
export async function cardSvg(
  quote: Quote,
  campaign: Campaign,
  format: Format,
  /** `content`: the quote's cardContent, when the caller already made it (renderCard, for the cache key). */
  opts: { hideQuote?: boolean; content?: CardContent } = {},
): Promise<Laid & { passes: number }> {
  const c = opts.content ?? cardContent(quote, campaign)
  const problem = problemOf(c, campaign, format)
  if (problem) throw new CardFitError(`${quote.id}: ${problem}`)
  const g = GEOMETRY[format]
  let quoteSize = predictQuoteSize(c.quote, c.script, g) ?? g.quoteSize.min
  let attrScale = predictAttributionScale(c.attribution, g)
  for (let passes = 1; passes <= 8; passes++) {
    const laid = await layOut(c, format, { quote: quoteSize, attrScale }, opts.hideQuote ?? false)
    const pad = { x: INK_PAD_X, y: INK_PAD_EM * quoteSize }
    const quoteOver = overflows(laid.nodes.get('quote-text'), laid.nodes.get('quote-box'), pad)
    const attrOver = overflows(laid.nodes.get('attr-text'), laid.nodes.get('attr-box'))
    if (!quoteOver && !attrOver) return { ...laid, passes }
    if (quoteOver) {
      if (quoteSize <= g.quoteSize.min) break
      // Re-predict below the size that failed: the metrics model stays the guide, satori the judge.
      quoteSize = predictQuoteSize(c.quote, c.script, g, Math.floor(quoteSize * 0.95)) ?? g.quoteSize.min
    }
    if (attrOver) {
      const next = predictAttributionScale(c.attribution, g, attrScale)
      if (next >= attrScale) break
      attrScale = next
    }
  }
  throw new CardFitError(
    `${quote.id}: the ${format} card's text does not fit at the smallest readable size: add a shorter \`excerpt\``,
  )
}
