import type { Attribution } from './attribution.ts'
import { fontStack } from './fonts.ts'
import { footerSizes, HASHTAG_SEPARATOR } from './footer.ts'
import {
  ACCENT_BAR,
  ACCENT_GAP,
  ATTR_LINE_HEIGHT,
  type Geometry,
  LINE_HEIGHT,
  quoteBox,
  textRoom,
} from './geometry.ts'
import { type Script, scriptOf } from './text.ts'
import type { LoadedTheme } from './theme.ts'

// @NOTE The card as a satori element tree (plain objects, no React). `key`s name the nodes whose laid-out size
// the renderer checks against their boxes.

export interface Element {
  type: string
  key?: string
  props: { style?: Record<string, string | number>; children?: (Element | string)[] | string; src?: string }
}

function h(
  type: string,
  style: Record<string, string | number>,
  children?: (Element | string)[] | string,
  key?: string,
): Element {
  return { type, ...(key ? { key } : {}), props: { style, ...(children !== undefined ? { children } : {}) } }
}

export interface CardContent {
  quote: string
  script: Script
  attribution: Attribution
  situation?: string
  hashtags: string[]
  site: string
}

export interface CardSizes {
  quote: number
  attrScale: number
}

const scriptFont = (script: Script) => (script === 'latin' ? 'quote' : script)

function textDirection(text: string): Record<string, string> {
  return scriptOf(text) === 'arabic' ? { direction: 'rtl', textAlign: 'right' } : {}
}

export function cardElement(
  c: CardContent,
  g: Geometry,
  theme: LoadedTheme,
  sizes: CardSizes,
  opts: { hideQuote?: boolean } = {},
): Element {
  const col = theme.colors
  const box = quoteBox(g, c.script)
  const rtl = c.script === 'arabic'
  const attrWidth = g.width - 2 * g.padX
  const primary = g.attrSize.primary * sizes.attrScale
  const secondary = g.attrSize.secondary * sizes.attrScale
  const header = h(
    'div',
    { height: g.header, display: 'flex', alignItems: 'center', justifyContent: 'space-between' },
    [
      h('div', { display: 'flex', alignItems: 'center' }, [
        { type: 'img', props: { src: theme.logoDataUri, style: { width: g.logo, height: g.logo } } },
        h(
          'div',
          { marginLeft: 20, color: col.accent, fontSize: g.small + 2, fontWeight: 700, letterSpacing: 4 },
          theme.wordmark,
        ),
      ]),
      ...(c.situation
        ? [
            h(
              'div',
              {
                display: 'flex',
                backgroundColor: col.accent,
                color: col.pillText,
                borderRadius: 999,
                padding: '8px 24px',
                fontSize: g.small,
                fontWeight: 700,
                ...textDirection(c.situation),
              },
              c.situation,
            ),
          ]
        : []),
    ],
  )
  const quoteText = h(
    'div',
    {
      display: 'flex',
      width: textRoom(g, c.script, sizes.quote).width,
      flexShrink: 0,
      fontFamily: fontStack(scriptFont(c.script)).join(', '),
      fontSize: sizes.quote,
      lineHeight: LINE_HEIGHT[c.script],
      color: col.quote,
      // Tests draw the card without the quote (text and emoji images alike) to find the quote's own ink.
      ...(opts.hideQuote ? { opacity: 0 } : {}),
      wordBreak: 'break-word',
      // In an rtl flex box the main axis starts at the right, so flex-start puts a short line on the right.
      ...(rtl ? { direction: 'rtl', textAlign: 'right', justifyContent: 'flex-start' } : {}),
    },
    c.quote,
    'quote-text',
  )
  const quoteRow = h(
    'div',
    { display: 'flex', flexDirection: rtl ? 'row-reverse' : 'row', height: g.quoteHeight },
    [
      h('div', {
        width: ACCENT_BAR,
        height: g.quoteHeight,
        backgroundColor: col.accent,
        borderRadius: ACCENT_BAR / 2,
      }),
      h('div', { width: ACCENT_GAP, height: g.quoteHeight }),
      h(
        'div',
        {
          display: 'flex',
          flexDirection: 'column',
          justifyContent: 'center',
          alignItems: 'center',
          width: box.width,
          height: box.height,
        },
        [quoteText],
        'quote-box',
      ),
    ],
  )
  const attribution = h(
    'div',
    {
      display: 'flex',
      flexDirection: 'column',
      // An Arabic quote's attribution lines up with the quote, on the right.
      alignItems: rtl ? 'flex-end' : 'flex-start',
      width: attrWidth,
      flexShrink: 0,
      lineHeight: ATTR_LINE_HEIGHT,
    },
    [
      h(
        'div',
        { fontSize: primary, fontWeight: 700, color: col.speaker, ...textDirection(c.attribution.primary) },
        c.attribution.primary,
      ),
      ...(c.attribution.secondary
        ? [
            h(
              'div',
              { fontSize: secondary, color: col.muted, ...textDirection(c.attribution.secondary) },
              c.attribution.secondary,
            ),
          ]
        : []),
    ],
    'attr-text',
  )
  const footer = h(
    'div',
    { height: g.footer, display: 'flex', alignItems: 'center', justifyContent: 'space-between' },
    [
      h(
        'div',
        { color: col.accent, fontSize: footerSizes(g).hashtags, fontWeight: 700, whiteSpace: 'nowrap' },
        c.hashtags.join(HASHTAG_SEPARATOR),
      ),
      h('div', { color: col.muted, fontSize: footerSizes(g).site, flexShrink: 0 }, c.site),
    ],
  )
  return h(
    'div',
    {
      width: g.width,
      height: g.height,
      display: 'flex',
      flexDirection: 'column',
      boxSizing: 'border-box',
      backgroundColor: col.background,
      padding: `${g.padY}px ${g.padX}px`,
      fontFamily: fontStack('sans').join(', '),
      color: col.speaker,
    },
    [
      header,
      h('div', { height: g.gaps[0] }),
      quoteRow,
      h('div', { height: g.gaps[1] }),
      h(
        'div',
        { display: 'flex', height: g.attributionHeight, alignItems: 'flex-start' },
        [attribution],
        'attr-box',
      ),
      h('div', { height: g.gaps[2] }),
      footer,
    ],
  )
}
