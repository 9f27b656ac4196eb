import { execFile } from 'node:child_process'
import { chmod, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

// `validate` runs from dist/cli/validate.cjs with V8's code cache of it in the temporary folder
// (bin/validate-script.mjs): the first run makes the cache, the next ones use it, and a cache that is cut short,
// foreign or out of reach changes nothing but the time taken.

const run = promisify(execFile)

async function validate(tmp: string, ...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/ngovoices.mjs', 'validate', ...args], {
      env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1' },
    })
    return { code: 0, out: stdout + stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, out: e.stdout + e.stderr }
  }
}

const caches = async (tmp: string) =>
  (await readdir(join(tmp, 'ngovoices-code-cache'))).filter((f) => f.endsWith('.bin'))

describe("validate's code cache", () => {
  it('is made by the first run, keyed by the script, this Node and this machine, and used by the next', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'ngovoices-cache-'))
    const first = await validate(tmp, 'fixtures/asp21')
    expect(first.code).toBe(0)
    const key = (await readFile('dist/cli/validate.cjs', 'utf8')).trimEnd().split(': ').at(-1)
    expect(await caches(tmp)).toEqual([`validate-${key}-${process.version}-${process.arch}.bin`])
    expect(await validate(tmp, 'fixtures/asp21')).toEqual(first)
    expect(await validate(tmp, 'fixtures/invalid/unknown-field')).toMatchObject({ code: 1 })
  })

  it('cut short or foreign, is made again and changes no answer', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'ngovoices-cache-'))
    const first = await validate(tmp, 'fixtures/invalid/yaml-syntax')
    const [file] = await caches(tmp)
    const path = join(tmp, 'ngovoices-code-cache', file ?? '')
    const whole = await readFile(path)
    await writeFile(path, whole.subarray(0, 1000))
    expect(await validate(tmp, 'fixtures/invalid/yaml-syntax')).toEqual(first)
    // Made again whole (its size varies a little from run to run).
    expect((await readFile(path)).length).toBeGreaterThan(whole.length / 2)
    await writeFile(path, 'not a cache')
    expect(await validate(tmp, 'fixtures/invalid/yaml-syntax')).toEqual(first)
  })

  it('is neither read nor written in a folder others may write to', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'ngovoices-cache-'))
    await mkdir(join(tmp, 'ngovoices-code-cache'))
    await chmod(join(tmp, 'ngovoices-code-cache'), 0o777)
    const r = await validate(tmp, 'fixtures/asp21')
    expect(r.code).toBe(0)
    expect(await caches(tmp)).toEqual([])
    // Made owner-only, the same folder holds the cache after the next run.
    await chmod(join(tmp, 'ngovoices-code-cache'), 0o700)
    expect(await validate(tmp, 'fixtures/asp21')).toEqual(r)
    expect(await caches(tmp)).toHaveLength(1)
  })

  it('out of reach (no temporary folder), the script runs all the same', async () => {
    const r = await validate(join(tmpdir(), 'ngovoices-no-such-folder', 'deeper'), 'fixtures/asp21')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/✓ no problems\n$/)
  })
})
