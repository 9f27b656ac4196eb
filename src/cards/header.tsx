/** @jsxRuntime automatic */
/** @jsxImportSource satori/jsx */
import type { JSXElement } from 'satori/jsx'
import { textDirection } from './direction.ts'
import type { Geometry } from './geometry.ts'
import type { LoadedTheme } from './theme.ts'

interface HeaderProps {
  g: Geometry
  theme: LoadedTheme
  situation: string | undefined
}

/** The logo and wordmark on the left, the situation (when the quote has one) in a pill on the right. */
export function Header({ g, theme, situation }: HeaderProps): JSXElement {
  return (
    <div style={{ height: g.header, display: 'flex', alignItems: 'center', justifyContent: 'space-between' }}>
      <div style={{ display: 'flex', alignItems: 'center' }}>
        {/* Satori ignores alt: the whole card's text alternative is cardAlt (alt.ts). */}
        <img src={theme.logoDataUri} alt="" style={{ width: g.logo, height: g.logo }} />
        <div
          style={{
            marginLeft: 20,
            color: theme.colors.accent,
            fontSize: g.small + 2,
            fontWeight: 700,
            letterSpacing: 4,
          }}
        >
          {theme.wordmark}
        </div>
      </div>
      {situation ? <SituationPill text={situation} g={g} theme={theme} /> : null}
    </div>
  )
}

function SituationPill({ text, g, theme }: { text: string; g: Geometry; theme: LoadedTheme }): JSXElement {
  return (
    <div
      style={{
        display: 'flex',
        backgroundColor: theme.colors.accent,
        color: theme.colors.pillText,
        borderRadius: 999,
        padding: '8px 24px',
        fontSize: g.small,
        fontWeight: 700,
        ...textDirection(text),
      }}
    >
      {text}
    </div>
  )
}
