import { createHash } from 'node:crypto'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { build } from 'esbuild'

// @NOTE The command line starts from a bundle of the build (dist/cli/, made by `npm run build` from tsc's output in
// dist/src/): loading `validate` module by module took about as long as validating, zod alone being some ninety
// files and yaml seventy. Each command is its own chunk, loaded when it runs or prints its own help, so `--help`
// still loads none. Only the packages in BUNDLED go in: the pure-JavaScript ones every start needs. The others
// stay `import`s of node_modules as before (native code, worker threads, files found beside their own code).
// Every module keeps its own import.meta.url (its file in dist/src/), so paths next to it hold as they did:
// project-root.ts, the stored font facts, the card-pool thread (which runs dist/src/ as it is).

/** Bundled into the chunks; zod tree-shaken, since the sources import it as a namespace (`import * as z`). */
const BUNDLED = new Set(['zod', 'yaml', 'citty'])

const packageName = (spec) => spec.split('/', spec.startsWith('@') ? 2 : 1).join('/')

/** Every module's import.meta.url made its own file's in dist/src/, written from the bundle's own (`base`). */
function ownImportMetaUrl(dist, outdir, base) {
  return {
    name: 'own-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, async (args) => {
        if (relative(dist, args.path).startsWith('..')) return undefined
        const original = JSON.stringify(relative(outdir, args.path).split('\\').join('/'))
        const text = await readFile(args.path, 'utf8')
        return {
          contents: text.replaceAll('import.meta.url', `new URL(${original}, ${base}).href`),
          loader: 'js',
          resolveDir: dirname(args.path),
        }
      })
    },
  }
}

/** Leaves out of the bundle the packages not in `bundled`, as `import`s (or `require`s) of node_modules. */
const packagesOutside = (bundled) => ({
  name: 'packages-outside-the-bundle',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      bundled.has(packageName(args.path)) ? undefined : { path: args.path, external: true },
    )
  },
})

/** Bundles dist/src/cli/main.js and what it imports into dist/cli/, replacing what was there. */
export async function bundleCli(dist) {
  const outdir = join(dist, 'cli')
  await rm(outdir, { recursive: true, force: true })
  await build({
    entryPoints: [join(dist, 'src', 'cli', 'main.js')],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.9',
    // tsc's source maps are chained, so `--enable-source-maps` still maps a bug's stack to the .ts sources.
    sourcemap: 'linked',
    // yaml is CommonJS and requires Node's `process` module: an ES module has no `require` of its own.
    banner: {
      js: "import { createRequire as bundleRequire } from 'node:module'\nconst require = bundleRequire(import.meta.url)",
    },
    logLevel: 'warning',
    plugins: [packagesOutside(BUNDLED), ownImportMetaUrl(dist, outdir, 'import.meta.url')],
  })
}

// @NOTE `ngovoices validate` runs from one classic script instead (dist/cli/validate.cjs), run by
// bin/validate-script.mjs with V8's code cache made after the run: the command line with validate alone, and
// luxon and js-yaml inside too (both publish CommonJS). Node 20 has no compile cache for ES modules at all, and
// Node 24's (module.enableCompileCache) holds only what was compiled when a module was first loaded, so every
// start compiled again each function validate calls. The other commands are not in it (bin/ngovoices.mjs runs
// the script for `validate` alone).

/** What goes into validate's script besides BUNDLED: pure JavaScript with a CommonJS build of its own. */
const SCRIPT_BUNDLED = new Set([...BUNDLED, 'luxon', 'js-yaml'])
/** The modules of src/cli/ that `validate` runs. */
const VALIDATE_MODULES = new Set(['commands.js', 'validate.js', 'user-errors.js'])

/**
 * Bundles `ngovoices validate` into dist/cli/validate.cjs, a CommonJS script whose last line names the hash of
 * the rest: the key of its code cache (bin/validate-script.mjs), as V8 itself checks only the source's length.
 */
export async function bundleValidateScript(dist) {
  const outdir = join(dist, 'cli')
  const cli = join(dist, 'src', 'cli')
  const out = await build({
    stdin: {
      contents: "import { runMain } from 'citty'\nimport { main } from './commands.js'\nrunMain(main)\n",
      resolveDir: cli,
      sourcefile: 'validate-script.js',
    },
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20.9',
    // Their ES builds, as the ES chunks use; the script's require() gets them as CommonJS all the same.
    mainFields: ['module', 'main'],
    outfile: join(outdir, 'validate.cjs'),
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [
      {
        name: 'other-commands-outside',
        setup(b) {
          b.onResolve({ filter: /^\.\/[a-z-]+\.js$/ }, (args) =>
            args.importer === join(cli, 'commands.js') && !VALIDATE_MODULES.has(args.path.slice(2))
              ? { path: args.path, namespace: 'other-command' }
              : undefined,
          )
          b.onLoad({ filter: /.*/, namespace: 'other-command' }, (args) => ({
            contents: `throw new Error('dist/cli/validate.cjs runs validate alone, not ${args.path}')`,
          }))
        },
      },
      packagesOutside(SCRIPT_BUNDLED),
      // bin/validate-script.mjs passes the script's own URL in as `ownUrl`.
      ownImportMetaUrl(dist, outdir, 'ownUrl'),
    ],
  })
  for (const file of out.outputFiles) {
    if (!file.path.endsWith('.cjs')) await writeFile(file.path, file.contents)
    else {
      const hash = createHash('sha256').update(file.contents).digest('hex').slice(0, 16)
      await writeFile(file.path, `${file.text}// code cache key: ${hash}\n`)
    }
  }
}
