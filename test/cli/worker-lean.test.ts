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
