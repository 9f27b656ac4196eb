import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import * as z from 'zod'
import { fromRoot } from '../core/project-root.ts'

// @NOTE The look of a card lives in assets/ (colours, logo mark, wordmark) so comms staff can restyle it
// without touching code. Every text/background pair is listed so a test can hold it to WCAG AA (≥ 4.5:1).

const ASSETS = `${fromRoot('assets')}/`

const hex = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb')
const themeSchema = z
  .object({
    name: z.string().min(1),
    wordmark: z.string().min(1),
    logo: z.string().min(1),
    colors: z
      .object({
        background: hex,
        panel: hex,
        quote: hex,
        speaker: hex,
        muted: hex,
        accent: hex,
        pillText: hex,
      })
      .strict(),
    pairs: z.array(z.object({ text: z.string(), background: z.string() }).strict()).min(1),
  })
  .strict()

export type Theme = z.infer<typeof themeSchema>

export interface LoadedTheme extends Theme {
  logoDataUri: string
  /** Hash of the theme file and logo: part of every card's cache key. */
  digest: string
}

let loaded: LoadedTheme | undefined

export function cardTheme(): LoadedTheme {
  if (loaded) return loaded
  const raw = readFileSync(`${ASSETS}theme.json`)
  const theme = themeSchema.parse(JSON.parse(raw.toString('utf8')))
  const logo = readFileSync(`${ASSETS}${theme.logo}`)
  loaded = {
    ...theme,
    logoDataUri: `data:image/svg+xml;base64,${logo.toString('base64')}`,
    digest: createHash('sha256').update(raw).update(logo).digest('hex').slice(0, 16),
  }
  return loaded
}

/** The theme's text/background colour pairs as hex values, for the contrast test. */
export function themePairs(theme: Theme = cardTheme()): { name: string; text: string; background: string }[] {
  const colors: Record<string, string> = theme.colors
  return theme.pairs.map((p) => {
    const text = colors[p.text]
    const background = colors[p.background]
    if (!text || !background) throw new Error(`theme pair ${p.text}/${p.background}: unknown colour name`)
    return { name: `${p.text} on ${p.background}`, text, background }
  })
}

function luminance(color: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(color.slice(1 + i * 2, 3 + i * 2), 16) / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
}

/** WCAG 2 contrast ratio of two #rrggbb colours (1 … 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05)
}
