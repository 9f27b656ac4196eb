/** @jsxRuntime automatic */
/** @jsxImportSource satori/jsx */
import type { JSXElement } from 'satori/jsx'
import { footerSizes, HASHTAG_SEPARATOR } from './footer.ts'
import type { Geometry } from './geometry.ts'
import type { LoadedTheme } from './theme.ts'

interface FooterRowProps {
  hashtags: string[]
  site: string
  g: Geometry
  theme: LoadedTheme
}

/** The hashtags on the left, the statement's site on the right, on one line (footer.ts checks that they fit). */
export function FooterRow({ hashtags, site, g, theme }: FooterRowProps): JSXElement {
  const sizes = footerSizes(g)
  return (
    <div style={{ height: g.footer, display: 'flex', alignItems: 'center', justifyContent: 'space-between' }}>
      <div
        style={{
          color: theme.colors.accent,
          fontSize: sizes.hashtags,
          fontWeight: 700,
          whiteSpace: 'nowrap',
        }}
      >
        {hashtags.join(HASHTAG_SEPARATOR)}
      </div>
      <div style={{ color: theme.colors.muted, fontSize: sizes.site, flexShrink: 0 }}>{site}</div>
    </div>
  )
}
