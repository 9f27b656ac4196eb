/** @jsxRuntime automatic */
/** @jsxImportSource satori/jsx */
import type { JSXElement } from 'satori/jsx'
import { fontStack } from './fonts.ts'
import { ACCENT_BAR, ACCENT_GAP, type Geometry, LINE_HEIGHT, quoteBox, textRoom } from './geometry.ts'
import type { Script } from './text.ts'
import type { LoadedTheme } from './theme.ts'

interface QuoteRowProps {
  quote: string
  script: Script
  size: number
  g: Geometry
  theme: LoadedTheme
  hidden: boolean
}

/**
 * The accent bar, then the quote centred in its box; mirrored for Arabic. The ids `quote-box` and `quote-text`
 * name the nodes whose laid-out sizes the renderer compares (svg.ts).
 */
export function QuoteRow({ quote, script, size, g, theme, hidden }: QuoteRowProps): JSXElement {
  const box = quoteBox(g, script)
  const rtl = script === 'arabic'
  return (
    <div style={{ display: 'flex', flexDirection: rtl ? 'row-reverse' : 'row', height: g.quoteHeight }}>
      <div
        style={{
          width: ACCENT_BAR,
          height: g.quoteHeight,
          backgroundColor: theme.colors.accent,
          borderRadius: ACCENT_BAR / 2,
        }}
      />
      <div style={{ width: ACCENT_GAP, height: g.quoteHeight }} />
      <div
        id="quote-box"
        style={{
          display: 'flex',
          flexDirection: 'column',
          justifyContent: 'center',
          alignItems: 'center',
          width: box.width,
          height: box.height,
        }}
      >
        <QuoteText quote={quote} script={script} size={size} g={g} theme={theme} hidden={hidden} />
      </div>
    </div>
  )
}

const scriptFont = (script: Script) => (script === 'latin' ? 'quote' : script)

function QuoteText({ quote, script, size, g, theme, hidden }: QuoteRowProps): JSXElement {
  return (
    <div
      id="quote-text"
      style={{
        display: 'flex',
        width: textRoom(g, script, size).width,
        flexShrink: 0,
        fontFamily: fontStack(scriptFont(script)).join(', '),
        fontSize: size,
        lineHeight: LINE_HEIGHT[script],
        color: theme.colors.quote,
        // Tests draw the card without the quote (text and emoji images alike) to find the quote's own ink.
        ...(hidden ? { opacity: 0 } : {}),
        wordBreak: 'break-word',
        // In an rtl flex box the main axis starts at the right, so flex-start puts a short line on the right.
        ...(script === 'arabic'
          ? { direction: 'rtl', textAlign: 'right', justifyContent: 'flex-start' }
          : {}),
      }}
    >
      {quote}
    </div>
  )
}
