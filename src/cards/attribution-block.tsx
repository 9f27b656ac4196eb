/** @jsxRuntime automatic */
/** @jsxImportSource satori/jsx */
import type { JSXElement } from 'satori/jsx'
import type { Attribution } from './attribution.ts'
import { textDirection } from './direction.ts'
import { ATTR_LINE_HEIGHT, type Geometry } from './geometry.ts'
import type { LoadedTheme } from './theme.ts'

interface AttributionBlockProps {
  attribution: Attribution
  /** Shrinks both lines together when a long name or role would overflow its box. */
  scale: number
  rtl: boolean
  g: Geometry
  theme: LoadedTheme
}

/**
 * The speaker in bold, then role and organisation, in a box of fixed height. The ids `attr-box` and `attr-text`
 * name the nodes whose laid-out sizes the renderer compares (svg.ts).
 */
export function AttributionBlock({ attribution, scale, rtl, g, theme }: AttributionBlockProps): JSXElement {
  const { primary, secondary } = attribution
  return (
    <div id="attr-box" style={{ display: 'flex', height: g.attributionHeight, alignItems: 'flex-start' }}>
      <div
        id="attr-text"
        style={{
          display: 'flex',
          flexDirection: 'column',
          // An Arabic quote's attribution lines up with the quote, on the right.
          alignItems: rtl ? 'flex-end' : 'flex-start',
          width: g.width - 2 * g.padX,
          flexShrink: 0,
          lineHeight: ATTR_LINE_HEIGHT,
        }}
      >
        <div
          style={{
            fontSize: g.attrSize.primary * scale,
            fontWeight: 700,
            color: theme.colors.speaker,
            ...textDirection(primary),
          }}
        >
          {primary}
        </div>
        {secondary ? (
          <div
            style={{
              fontSize: g.attrSize.secondary * scale,
              color: theme.colors.muted,
              ...textDirection(secondary),
            }}
          >
            {secondary}
          </div>
        ) : null}
      </div>
    </div>
  )
}
