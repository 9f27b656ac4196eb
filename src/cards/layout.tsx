/** @jsxRuntime automatic */
/** @jsxImportSource satori/jsx */
import type { JSXElement } from 'satori/jsx'
import type { Attribution } from './attribution.ts'
import { AttributionBlock } from './attribution-block.tsx'
import { fontStack } from './fonts.ts'
import { FooterRow } from './footer-row.tsx'
import type { Geometry } from './geometry.ts'
import { Header } from './header.tsx'
import { QuoteRow } from './quote-row.tsx'
import type { Script } from './text.ts'
import type { LoadedTheme } from './theme.ts'

// @NOTE The card as a satori element tree, typed by satori's own JSX types (tsconfig's jsxImportSource): no
// React. Each band of the card is a component in its own file; the nodes with an `id` (quote-box, quote-text,
// attr-box, attr-text) are the ones whose laid-out size the renderer checks against their boxes.
// The two pragmas atop each .tsx repeat tsconfig.json's JSX settings on purpose: tsx reads the tsconfig of the
// working directory, and `ngovoices` run from a campaign folder finds none (test/cards/render-cli.test.ts).

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

interface CardProps {
  content: CardContent
  g: Geometry
  theme: LoadedTheme
  sizes: CardSizes
  hideQuote: boolean
}

export function cardElement(
  c: CardContent,
  g: Geometry,
  theme: LoadedTheme,
  sizes: CardSizes,
  opts: { hideQuote?: boolean } = {},
): JSXElement {
  return <Card content={c} g={g} theme={theme} sizes={sizes} hideQuote={opts.hideQuote ?? false} />
}

/** Header, quote, attribution and footer in a column, with fixed gaps between them. */
function Card({ content: c, g, theme, sizes, hideQuote }: CardProps): JSXElement {
  return (
    <div
      style={{
        width: g.width,
        height: g.height,
        display: 'flex',
        flexDirection: 'column',
        boxSizing: 'border-box',
        backgroundColor: theme.colors.background,
        padding: `${g.padY}px ${g.padX}px`,
        fontFamily: fontStack('sans').join(', '),
        color: theme.colors.speaker,
      }}
    >
      <Header g={g} theme={theme} situation={c.situation} />
      <Gap height={g.gaps[0]} />
      <QuoteRow quote={c.quote} script={c.script} size={sizes.quote} g={g} theme={theme} hidden={hideQuote} />
      <Gap height={g.gaps[1]} />
      <AttributionBlock
        attribution={c.attribution}
        scale={sizes.attrScale}
        rtl={c.script === 'arabic'}
        g={g}
        theme={theme}
      />
      <Gap height={g.gaps[2]} />
      <FooterRow hashtags={c.hashtags} site={c.site} g={g} theme={theme} />
    </div>
  )
}

function Gap({ height }: { height: number }): JSXElement {
  return <div style={{ height }} />
}
