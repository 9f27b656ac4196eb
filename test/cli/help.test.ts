import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import type { CommandDef } from 'citty'
import { describe, expect, it } from 'vitest'

// `ngovoices --help` lists every command from commands.ts's own table, without loading one of them (each pulls
// in sharp, satori, BullMQ or atproto). The CLI runs from its bundle in dist/cli/ as a user runs it, each command a
// chunk named for its file (plan-<hash>.js, bin/bundle.mjs), but `validate`, which runs from one script of its
// own (dist/cli/validate.cjs); module-log.mjs records what goes through the ES module loader.
const run = promisify(execFile)

/** Every command module of src/cli (a default export with a name), with the help line it gives itself. */
async function commandModules(): Promise<{ file: string; name: string; description: string }[]> {
  const files = (await readdir('src/cli')).filter((f) => f.endsWith('.ts') && f !== 'main.ts')
  const found = []
  for (const file of files) {
    const mod = (await import(pathToFileURL(resolve('src/cli', file)).href)) as { default?: CommandDef }
    const meta = mod.default?.meta
    if (meta && typeof meta === 'object' && 'name' in meta && meta.name && meta.description)
      found.push({ file: file.replace(/\.ts$/, '.js'), name: meta.name, description: meta.description })
  }
  return found
}

/** The module URLs a run of the CLI loads, in order. */
async function loadedBy(...args: string[]): Promise<string[]> {
  const log = join(await mkdtemp(join(tmpdir(), 'ngovoices-modules-')), 'modules.txt')
  await run(process.execPath, ['--import', './test/cli/module-log.mjs', 'bin/ngovoices.mjs', ...args], {
    env: { ...process.env, MODULE_LOG: log },
  })
  return (await readFile(log, 'utf8')).trim().split('\n')
}

const HEAVY = /\/node_modules\/(sharp|satori|@resvg|bullmq|ioredis|@atproto|twitter-api-v2|tsx)\//

/** The bundle's chunk of a command file (`validate.js`), by its URL. */
const chunkOf = (file: string) => new RegExp(`/dist/cli/${file.replace(/\.js$/, '')}-[A-Z0-9]+\\.js$`)

describe('ngovoices --help', () => {
  it('lists every command with the description its own file gives it', async () => {
    const commands = await commandModules()
    expect(commands.length).toBeGreaterThanOrEqual(14)
    const { stdout } = await run(process.execPath, ['bin/ngovoices.mjs', '--help'], {
      env: { ...process.env, NO_COLOR: '1' },
    })
    const listed = stdout
      .split('\n')
      .map((l) => l.trim().match(/^([a-z]+) {4}(\S.*)$/))
      .filter((m) => m !== null)
      .map((m) => ({ name: m[1], description: m[2]?.trimEnd() }))
    expect(listed).toEqual(
      expect.arrayContaining(commands.map(({ name, description }) => ({ name, description }))),
    )
    expect(listed).toHaveLength(commands.length)
  })

  it('loads no command module and none of the heavy packages, from the build', async () => {
    const loaded = await loadedBy('--help')
    // The log sees the built entry, so what it does not see was not loaded.
    expect(loaded).toContain(new URL('../../dist/cli/main.js', import.meta.url).href)
    const commandChunks = (await commandModules()).map((c) => chunkOf(c.file))
    expect(loaded.filter((url) => commandChunks.some((chunk) => chunk.test(url)))).toEqual([])
    expect(loaded.filter((url) => HEAVY.test(url))).toEqual([])
  })

  it("a command's own help loads that command, still without tsx", async () => {
    const loaded = await loadedBy('plan', '--help')
    expect(loaded.filter((url) => chunkOf('plan.js').test(url))).toHaveLength(1)
    expect(loaded.filter((url) => url.includes('/node_modules/tsx/') || url.endsWith('.ts'))).toEqual([])
  })

  it('validate runs from its own script: no module of the bundle, no tsx, none of the heavy packages', async () => {
    const loaded = await loadedBy('validate', 'fixtures/asp21')
    expect(loaded).toContain(new URL('../../bin/validate-script.mjs', import.meta.url).href)
    expect(loaded.filter((url) => url.includes('/dist/'))).toEqual([])
    expect(loaded.filter((url) => url.includes('/node_modules/tsx/') || url.endsWith('.ts'))).toEqual([])
    expect(loaded.filter((url) => HEAVY.test(url))).toEqual([])
  })
})
