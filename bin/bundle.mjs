import { readFile, rm } from 'node:fs/promises'
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
    plugins: [
      {
        name: 'packages-outside-the-bundle',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            BUNDLED.has(packageName(args.path)) ? undefined : { path: args.path, external: true },
          )
        },
      },
      {
        name: 'own-import-meta-url',
        setup(b) {
          b.onLoad({ filter: /\.js$/ }, async (args) => {
            if (relative(dist, args.path).startsWith('..')) return undefined
            const original = JSON.stringify(relative(outdir, args.path).split('\\').join('/'))
            const text = await readFile(args.path, 'utf8')
            return {
              contents: text.replaceAll('import.meta.url', `new URL(${original}, import.meta.url).href`),
              loader: 'js',
              resolveDir: dirname(args.path),
            }
          })
        },
      },
    ],
  })
}
