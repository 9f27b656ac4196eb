import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { constants, Script } from 'node:vm'

// @NOTE Runs `ngovoices validate` from dist/cli/validate.cjs (bin/bundle.mjs) with V8's code cache of it, kept
// in the system's temporary folder as Node keeps its own compile cache. The cache is made after the command
// ran, so it holds every function validate compiled, not only the top level. Its name holds the script's hash
// (its last line), the Node version and the architecture; a cache V8 rejects anyway (other V8 flags) is made
// again. Without a writable temporary folder the script still runs, compiled each time. V8 runs what a cache
// holds, so the folder is used only if it is this user's own and no one else may write to it: the temporary
// folder is shared, and another user could otherwise leave a cache there for us to run.

const SCRIPT = fileURLToPath(new URL('../dist/cli/validate.cjs', import.meta.url))
const CACHE_DIR = join(tmpdir(), 'ngovoices-code-cache')

/** Runs the script as Node runs a CommonJS module, with its code cache when there is one. */
export function runValidateScript() {
  const source = readFileSync(SCRIPT, 'utf8')
  const key = source.slice(source.lastIndexOf(': ') + 2).trim()
  const dir = ownCacheDir()
  const cacheFile = dir && join(dir, `validate-${key}-${process.version}-${process.arch}.bin`)
  let cachedData
  try {
    cachedData = cacheFile ? readFileSync(cacheFile) : undefined
  } catch {
    cachedData = undefined
  }
  // The wrapper on the script's first line, as Node's own: line numbers in a stack stay the file's.
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname, ownUrl) {${source}\n})`,
    {
      filename: SCRIPT,
      cachedData,
      importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    },
  )
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected))
    process.once('exit', () => saveCache(script, cacheFile))
  const module = { exports: {} }
  const run = script.runInThisContext()
  run(module.exports, createRequire(SCRIPT), module, SCRIPT, dirname(SCRIPT), pathToFileURL(SCRIPT).href)
}

/** The cache folder, made owner-only if new; undefined if it cannot be made or is not ours alone. */
function ownCacheDir() {
  try {
    mkdirSync(CACHE_DIR, { recursive: true, mode: 0o700 })
    const st = statSync(CACHE_DIR)
    const mine = process.getuid === undefined || st.uid === process.getuid()
    return mine && (st.mode & 0o022) === 0 ? CACHE_DIR : undefined
  } catch {
    return undefined
  }
}

/** Writes the cache whole or not at all: another run may be reading it. */
function saveCache(script, file) {
  try {
    const partial = `${file}.${process.pid}`
    writeFileSync(partial, script.createCachedData())
    renameSync(partial, file)
  } catch {
    // A cache is only a saving: the next run compiles again.
  }
}
