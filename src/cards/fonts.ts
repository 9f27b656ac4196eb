import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { type FontMetrics, readWoff } from './woff.ts'

// @NOTE Fonts come from npm packages (resolved in node_modules, never fetched at run time). Fontsource splits
// each family into unicode-range subsets; satori keeps only the first font of a family name, so each subset
// gets its own family name and the card's font stacks list them all.

const require = createRequire(import.meta.url)

export type FontRole = 'quote' | 'sans' | 'arabic' | 'myanmar'
type Weight = 400 | 700

interface FontSpec {
  pkg: string
  prefix: string
  subsets: string[]
  role: FontRole
}

const SPECS: FontSpec[] = [
  {
    pkg: '@fontsource/noto-serif',
    prefix: 'noto-serif',
    subsets: ['latin', 'latin-ext', 'vietnamese', 'cyrillic', 'cyrillic-ext', 'greek', 'greek-ext'],
    role: 'quote',
  },
  {
    pkg: '@fontsource/noto-sans',
    prefix: 'noto-sans',
    subsets: [
      'latin',
      'latin-ext',
      'vietnamese',
      'cyrillic',
      'cyrillic-ext',
      'greek',
      'greek-ext',
      'devanagari',
    ],
    role: 'sans',
  },
  { pkg: '@fontsource/noto-sans-arabic', prefix: 'noto-sans-arabic', subsets: ['arabic'], role: 'arabic' },
  {
    pkg: '@fontsource/noto-sans-myanmar',
    prefix: 'noto-sans-myanmar',
    subsets: ['myanmar'],
    role: 'myanmar',
  },
]

export interface LoadedFont {
  /** Satori family name: unique per subset. */
  name: string
  role: FontRole
  weight: Weight
  data: Buffer
  metrics: FontMetrics
  file: string
}

let loaded: LoadedFont[] | undefined

/** Every font a card may use, read once per process. */
export function cardFonts(): LoadedFont[] {
  if (loaded) return loaded
  const out: LoadedFont[] = []
  for (const spec of SPECS) {
    for (const subset of spec.subsets) {
      for (const weight of [400, 700] as const) {
        const file = require.resolve(`${spec.pkg}/files/${spec.prefix}-${subset}-${weight}-normal.woff`)
        const data = readFileSync(file)
        out.push({
          name: `${spec.prefix}-${subset}`,
          role: spec.role,
          weight,
          data,
          metrics: readWoff(data, file),
          file,
        })
      }
    }
  }
  loaded = out
  return out
}

/** Family names for a CSS font stack: the role's own subsets first, then every other font as fallback. */
export function fontStack(first: FontRole): string[] {
  const names = (role: FontRole) => [
    ...new Set(
      cardFonts()
        .filter((f) => f.role === role)
        .map((f) => f.name),
    ),
  ]
  const order: FontRole[] = [
    first,
    ...(['sans', 'quote', 'arabic', 'myanmar'] as const).filter((r) => r !== first),
  ]
  return order.flatMap(names)
}

let digest: string | undefined

/** Hash of all font bytes: part of every card's cache key, so a font upgrade re-renders the cards. */
export function fontsDigest(): string {
  if (digest) return digest
  const h = createHash('sha256')
  for (const f of cardFonts()) h.update(f.name).update(String(f.weight)).update(f.data)
  digest = h.digest('hex').slice(0, 16)
  return digest
}
