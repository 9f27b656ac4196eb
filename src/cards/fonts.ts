import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { lazyCrypto } from '../core/lazy-builtins.ts'
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
  /** Read from `data` when first asked for: `validate` measures its footers with two of the forty fonts. */
  readonly metrics: FontMetrics
  file: string
}

/** A card font's file, found but not read. */
export interface FontFile {
  name: string
  role: FontRole
  weight: Weight
  file: string
  /** The version of the package the file comes from. */
  version: string
}

let files: FontFile[] | undefined

/** Where every card font is, without reading any: enough to tell whether stored facts about them still hold. */
export function cardFontFiles(): FontFile[] {
  if (files) return files
  const out: FontFile[] = []
  for (const spec of SPECS) {
    // Each package resolved once, by its first file: resolving all forty files took 15 ms at every start.
    const dir = dirname(
      require.resolve(`${spec.pkg}/files/${spec.prefix}-${spec.subsets[0]}-400-normal.woff`),
    )
    const { version } = JSON.parse(readFileSync(join(dir, '..', 'package.json'), 'utf8')) as {
      version: string
    }
    for (const subset of spec.subsets) {
      for (const weight of [400, 700] as const) {
        const file = join(dir, `${spec.prefix}-${subset}-${weight}-normal.woff`)
        out.push({ name: `${spec.prefix}-${subset}`, role: spec.role, weight, file, version })
      }
    }
  }
  files = out
  return out
}

let loaded: LoadedFont[] | undefined

/** Every font a card may use, read once per process. */
export function cardFonts(): LoadedFont[] {
  loaded ??= cardFontFiles().map(({ name, role, weight, file }) => {
    const data = readFileSync(file)
    let metrics: FontMetrics | undefined
    return {
      name,
      role,
      weight,
      data,
      get metrics() {
        metrics ??= readWoff(data, file)
        return metrics
      },
      file,
    }
  })
  return loaded
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

/** Hash of the given fonts' names, weights and bytes. */
function digestOf(fonts: LoadedFont[]): string {
  const h = lazyCrypto().createHash('sha256')
  for (const f of fonts) h.update(f.name).update(String(f.weight)).update(f.data)
  return h.digest('hex').slice(0, 16)
}

/** Hash of all font bytes: part of every card's cache key, so a font upgrade re-renders the cards. */
export function fontsDigest(): string {
  digest ??= digestOf(cardFonts())
  return digest
}
