// @NOTE A worker runs for a week; glibc's malloc gives each thread that allocates its own arena, and V8's young
// generation grows to 16 MB a semi-space: together about 70 MB of a worker's peak that it never needs (see the
// worker-memory section of BENCHMARKS.md). Both are fixed only before the process starts (MALLOC_ARENA_MAX is
// read by glibc at start, the semi-space size by V8 when it makes the heap), so the worker re-executes itself
// with them, in place: process.execve keeps the process id, so signals, SIGKILL and supervisors see one process.
// Node < 22.15 has no execve: there the worker keeps its young generations small from within
// (src/core/young-generation.ts), and only the allocator setting is left to set by hand. Either way this must run
// before the worker loads its modules.

const LEAN_ENV = { MALLOC_ARENA_MAX: '1' }
const LEAN_FLAG = '--max-semi-space-size=1'

/** Re-executes this process with the lean settings, unless they (or the person running it) already chose. */
export async function reexecLean() {
  const flags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`
  const chosen = flags.includes('semi-space-size')
  if (typeof process.execve !== 'function') {
    if (!chosen) (await import('../dist/src/core/young-generation.js')).capYoungGeneration()
    return
  }
  if (process.env.MALLOC_ARENA_MAX !== undefined) return
  process.execve(
    process.execPath,
    [process.execPath, ...(chosen ? [] : [LEAN_FLAG]), ...process.execArgv, ...process.argv.slice(1)],
    {
      ...process.env,
      ...LEAN_ENV,
    },
  )
}
