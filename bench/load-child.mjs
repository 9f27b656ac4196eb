// One bank size of the load section, in a process of its own running the built JavaScript (dist/), as a command
// or a worker reads its one bank. In the bench's own process, the 10,000-quote bank parsed after the smaller
// ones took js-yaml 2–4× the CPU it takes in a fresh process (V8 had sized its allocation to the small files'
// objects; a collection every few MB, 95 % surviving), which no user's process sees.
// Usage: node bench/load-child.mjs <bank dir> <parse-cache dir>; prints one JSON line.
import { appendFile, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { loadBank } from '../dist/src/quotes/load.js'
import { loadBankCached } from '../dist/src/quotes/parse-cache.js'
import { readYamlQuotesByEvents } from '../dist/src/quotes/yaml-events.js'

const [dir, cacheDir] = process.argv.slice(2)
if (!dir || !cacheDir) throw new Error('usage: load-child.mjs <bank dir> <parse-cache dir>')

/** Median wall time of 3 calls after one not counted (the JIT and cold file caches), as bench/measure.ts's steady. */
async function steady(fn) {
  let value = await fn()
  const times = []
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now()
    value = await fn()
    times.push(performance.now() - t0)
  }
  return { ms: times.sort((a, b) => a - b)[1], value }
}

// The section says these banks are read from js-yaml's events: one the events path declined would be timed on
// yaml's tree instead.
const events =
  readYamlQuotesByEvents(await readFile(join(dir, 'quotes.yaml'), 'utf8'), 'quotes.yaml') !== undefined
const load = await steady(() => loadBank(dir))
let edits = 0
const changed = await steady(async () => {
  await appendFile(join(dir, 'quotes.yaml'), `# bench edit ${edits++}\n`)
  return loadBankCached(dir, cacheDir)
})
const same = await steady(() => loadBankCached(dir, cacheDir))
const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(await readFile('/proc/self/status', 'utf8'))
process.stdout.write(
  `${JSON.stringify({
    events,
    loadMs: load.ms,
    changedMs: changed.ms,
    sameMs: same.ms,
    quotes: load.value.quotes.length,
    errors: load.value.problems.filter((p) => p.severity === 'error').length,
    problems: load.value.problems.length,
    peakRssMb: hwm?.[1] ? Math.round(Number(hwm[1]) / 1024) : undefined,
  })}\n`,
)
