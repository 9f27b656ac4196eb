import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

// @NOTE Whether dist/ holds a build of the sources as they are. `npm run build` (bin/build.mjs; also `prepare`,
// so every `npm install`) writes dist/.built last. In a git checkout a source or tsconfig changed since then
// makes the build stale: `ngovoices` then stops with one line instead of quietly running yesterday's code, and
// the integration tests and the bench rebuild first. An installed package is never edited, so there only a
// missing build is checked.

const ROOT = fileURLToPath(new URL('..', import.meta.url))
/** What `npm run build` writes when it has emitted every file. */
export const STAMP = join(ROOT, 'dist', '.built')
const SOURCES = ['src', 'queues']
const CONFIG = ['tsconfig.json', 'tsconfig.build.json']

const mtime = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0

/** The first TypeScript source under `dir` changed after `since`, if any. Every start of `ngovoices` asks. */
function changedIn(dir, since) {
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name)
    const changed = entry.isDirectory()
      ? changedIn(path, since)
      : /\.tsx?$/.test(entry.name) && mtime(join(ROOT, path)) > since && path
    if (changed) return changed
  }
  return undefined
}

/** The first TypeScript source or tsconfig changed after `since`, if any. */
function changedSince(since) {
  for (const file of CONFIG) if (mtime(join(ROOT, file)) > since) return file
  for (const dir of SOURCES) {
    const changed = changedIn(dir, since)
    if (changed) return changed
  }
  return undefined
}

/** Why dist/ cannot be run as it is (one line), or undefined when it is current. */
export function staleBuild() {
  const built = mtime(STAMP)
  if (built === 0) return 'not built yet (no dist/)'
  if (!existsSync(join(ROOT, '.git'))) return undefined
  const changed = changedSince(built)
  return changed && `dist/ is older than ${changed}`
}

/** Builds when dist/ is missing or stale: what the tests and the bench do before they run the CLI. */
export function ensureBuilt() {
  if (staleBuild() === undefined) return
  // Loaded only here: every start of `ngovoices` reads this file, and needs no child process.
  const { spawnSync } = createRequire(import.meta.url)('node:child_process')
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' })
  if (r.status !== 0) throw new Error(`npm run build failed (${r.error?.message ?? `exit ${r.status}`})`)
}
