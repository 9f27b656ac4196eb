import { createHash } from 'node:crypto'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import sharp from 'sharp'
import { readIfPresent } from '../core/files.ts'
import { type Encoded, PNG_OPTIONS } from './encode.ts'
import { fontsDigest } from './fonts.ts'
import type { CardContent } from './layout.tsx'
import { RASTERISER } from './rasterise.ts'
import { cardTheme } from './theme.ts'

// @NOTE A card's key hashes everything that changes its pixels: what it shows, its format, the theme, the font
// files, and the versions of the code that draws it. Bump RENDERER_VERSION when the layout code changes.

// 5: resvg draws the pixels (was librsvg), PNG at zlib level 4 (was 6).
const RENDERER_VERSION = 5

const require = createRequire(import.meta.url)
const version = (pkg: string) => (require(`${pkg}/package.json`) as { version: string }).version
// resvg draws the pixels and sharp (libpng, zlib-ng) encodes them, so their versions are part of the key too,
// and so are the PNG's options (encode.ts): other options, other bytes.
const TOOLS = `satori@${version('satori')} ${RASTERISER} sharp@${sharp.versions.sharp} png@${sharp.versions.png} zlib-ng@${sharp.versions['zlib-ng']}`

export function cardKey(content: CardContent, format: string): string {
  return createHash('sha256')
    .update(
      JSON.stringify({
        v: RENDERER_VERSION,
        tools: TOOLS,
        png: PNG_OPTIONS,
        format,
        content,
        theme: cardTheme().digest,
        fonts: fontsDigest(),
      }),
    )
    .digest('hex')
    .slice(0, 32)
}

const EXT = { 'image/png': 'png', 'image/jpeg': 'jpg' } as const

function paths(cacheDir: string, key: string) {
  const dir = join(cacheDir, 'cards')
  return { dir, png: join(dir, `${key}.png`), jpg: join(dir, `${key}.jpg`) }
}

/**
 * A cached card, read synchronously (readIfPresent): a worker reads one for every thread it posts, in its
 * card-pool thread, which does one card at a time anyway.
 */
export async function readCached(
  cacheDir: string,
  key: string,
): Promise<(Encoded & { path: string }) | undefined> {
  const p = paths(cacheDir, key)
  for (const [file, mime] of [
    [p.png, 'image/png'],
    [p.jpg, 'image/jpeg'],
  ] as const) {
    const data = readIfPresent(file)
    if (data) return { data, mime, path: file }
  }
  return undefined
}

/** Stores a card; written to a temporary name then renamed, so a reader never sees half a file. */
export async function writeCached(cacheDir: string, key: string, img: Encoded): Promise<string> {
  const p = paths(cacheDir, key)
  await mkdir(p.dir, { recursive: true })
  const file = join(p.dir, `${key}.${EXT[img.mime]}`)
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  await writeFile(tmp, img.data)
  await rename(tmp, file)
  return file
}
