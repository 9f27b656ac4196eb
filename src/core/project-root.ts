import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

// @NOTE The code runs from two places: the sources (src/core/ here: tests, the bench) and the build that
// `ngovoices` runs (dist/src/core/, made by `npm run build`). Files that are not code stay where the checkout has
// them (the card theme in assets/, the page's CSS and script in src/preview/assets/, package.json), so a path to
// one starts from the project's root, found here once, never from the module that asks.

/** True when this is the built JavaScript in dist/, not the TypeScript source. */
export const BUILT = import.meta.url.endsWith('.js')

const PROJECT_ROOT = fileURLToPath(new URL(BUILT ? '../../../' : '../../', import.meta.url))

/** A path inside the project, e.g. `fromRoot('assets', 'theme.json')`. */
export const fromRoot = (...parts: string[]) => join(PROJECT_ROOT, ...parts)

/** The version in package.json, read when asked (`--version`, the help's first line). */
export const projectVersion = (): string =>
  (JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { version: string }).version
