// @NOTE The layers of ngovoices, bottom to top; a module may import its own layer and the layers below it,
// never one above (ARCHITECTURE.md). `npm test` runs this (npm run layers), so a back-edge fails CI.
// Paths are matched anywhere in the path (`(^|/)src/quotes/`), so test/layers/ can show a back-edge failing
// on a copy of the tree without touching src/.
const LAYERS = [
  { name: 'core', paths: ['src/core/', 'src/config\\.ts$', 'src/logger\\.ts$'] },
  { name: 'input', paths: ['src/quotes/', 'src/campaign/'] },
  { name: 'pipeline', paths: ['src/calendar/', 'src/cards/', 'src/threads/'] },
  { name: 'platforms', paths: ['src/platforms/'] },
  { name: 'queues', paths: ['queues/'] },
  { name: 'surface', paths: ['src/preview/', 'src/cli/'] },
]

const at = (paths) => `(^|/)(${paths.join('|')})`

/** For each layer: it must not import any layer above it. */
const forbidden = LAYERS.flatMap((layer, i) => {
  const above = LAYERS.slice(i + 1).flatMap((l) => l.paths)
  if (above.length === 0) return []
  return [
    {
      name: `${layer.name}-imports-upward`,
      comment: `${layer.name} may import only itself and the layers below it (see ARCHITECTURE.md)`,
      severity: 'error',
      from: { path: at(layer.paths) },
      to: { path: at(above) },
    },
  ]
})

forbidden.push({
  name: 'no-circular',
  comment: 'no import cycles between modules',
  severity: 'error',
  from: { path: '(^|/)(src|queues)/' },
  to: { circular: true, dependencyTypesNot: ['type-only'] },
})

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.mjs', '.js'] },
  },
}
