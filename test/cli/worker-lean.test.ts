import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'

// `ngovoices worker` re-executes itself with MALLOC_ARENA_MAX=1 and a 1 MB semi-space (bin/lean-memory.mjs), in
// place. Run on the Node that .ci/run also tests (NGOVOICES_LTS_NODE, Node 24, which has process.execve); on a
// Node without execve the worker must run as started.
const NODE = process.env.NGOVOICES_LTS_NODE ?? process.execPath
const hasExecve = execFileSync(NODE, ['-p', 'typeof process.execve']).toString().trim() === 'function'

/** Starts the worker, waits until it serves, reads its environment and command line, then stops it. */
async function workerAsRun(extraEnv: Record<string, string>) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NGOVOICES_QUEUE_PREFIX: `ngvtest-lean-${randomBytes(4).toString('hex')}`,
    LOG_JSON: 'true',
    ...extraEnv,
  }
  if (!('MALLOC_ARENA_MAX' in extraEnv)) delete env.MALLOC_ARENA_MAX
  const child = spawn(NODE, ['bin/ngovoices.mjs', 'worker'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  const serving = new Promise<void>((ok, fail) => {
    const seen = (d: Buffer) => {
      out += d.toString()
      if (out.includes('posting at the real times')) ok()
    }
    child.stdout.on('data', seen)
    child.stderr.on('data', seen)
    child.once('exit', (code) => fail(new Error(`worker exited (${code}) before serving:\n${out}`)))
  })
  await serving
  const environ = (await readFile(`/proc/${child.pid}/environ`, 'utf8')).split('\0')
  const cmdline = (await readFile(`/proc/${child.pid}/cmdline`, 'utf8')).split('\0')
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const [code, signal] = await exited
  return { environ, cmdline, code, signal }
}

describe('ngovoices worker keeps its memory down by itself', () => {
  it(`re-executes in place with the lean allocator settings (${hasExecve ? 'this Node has execve' : 'no execve here: runs as started'})`, async () => {
    const r = await workerAsRun({})
    // Stopped by its own handler, gracefully (exit 0), not killed by the signal: the line is said once it holds.
    expect([r.code, r.signal]).toEqual([0, null])
    if (hasExecve) {
      expect(r.environ).toContain('MALLOC_ARENA_MAX=1')
      expect(r.cmdline).toContain('--max-semi-space-size=1')
    } else {
      expect(r.environ.some((e) => e.startsWith('MALLOC_ARENA_MAX='))).toBe(false)
      expect(r.cmdline).not.toContain('--max-semi-space-size=1')
    }
    expect(r.cmdline.slice(-2, -1)).toEqual(['worker'])
  })

  it('leaves a setting the person running it chose', async () => {
    const r = await workerAsRun({ MALLOC_ARENA_MAX: '2' })
    expect([r.code, r.signal]).toEqual([0, null])
    expect(r.environ).toContain('MALLOC_ARENA_MAX=2')
    expect(r.cmdline).not.toContain('--max-semi-space-size=1')
  })
})

describe('on a Node without execve', () => {
  // What the process's young generation grows to while it keeps 100,000 objects alive at a time (V8 grows it when
  // much survives its collections, as a worker's loading and composing do), after a card-pool thread has started:
  // V8 resets the growth factor when it makes that thread's heap. From the build, as the worker runs (tsx would
  // start heaps of its own in each thread).
  const youngMb = (cap: boolean) => {
    const script = `
      import { getHeapSpaceStatistics } from 'node:v8'
      import { capYoungGeneration } from './dist/src/core/young-generation.js'
      import { createCardPool } from './dist/src/cards/render-pool.js'
      if (${cap}) capYoungGeneration()
      const pool = createCardPool(1)
      await pool.warm()
      const keep = []
      for (let i = 0; i < 2e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 2e5) keep.splice(0, 1e5) }
      const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')
      process.stdout.write(String(young.space_size / 2 ** 20))
      await pool.close()`
    return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script]).toString())
  }

  it('the worker keeps V8 young generations at 1 MB a semi-space, card-pool threads started or not', () => {
    expect(youngMb(false)).toBeGreaterThanOrEqual(16)
    expect(youngMb(true)).toBeLessThanOrEqual(2)
  })
})
