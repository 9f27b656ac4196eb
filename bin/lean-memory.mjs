// @NOTE A worker runs for a week; glibc's malloc gives each thread that allocates its own arena, and V8's young
// generation grows to 16 MB a semi-space: together about 70 MB of a worker's peak that it never needs (see the
// worker-memory section of BENCHMARKS.md). Both are fixed only before the process starts (MALLOC_ARENA_MAX is
// read by glibc at start, the semi-space size by V8 when it makes the heap), so the worker re-executes itself
// with them, in place: process.execve keeps the process id, so signals, SIGKILL and supervisors see one process.
// Node < 22.15 has no execve; there the worker runs as started, and the README says to set both by hand.

const LEAN_ENV = { MALLOC_ARENA_MAX: '1' }
const LEAN_FLAG = '--max-semi-space-size=1'

/** Re-executes this process with the lean settings, unless they (or the person running it) already chose. */
export function reexecLean() {
  if (typeof process.execve !== 'function' || process.env.MALLOC_ARENA_MAX !== undefined) return
  const flags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`
  const semi = flags.includes('semi-space-size') ? [] : [LEAN_FLAG]
  process.execve(
    process.execPath,
    [process.execPath, ...semi, ...process.execArgv, ...process.argv.slice(1)],
    {
      ...process.env,
      ...LEAN_ENV,
    },
  )
}
