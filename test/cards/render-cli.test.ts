import { execFile } from 'node:child_process'
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { tmpDir } from './helpers.ts'

const exec = promisify(execFile)
/** Runs the CLI and returns its exit code and output, whether it succeeded or not. */
async function run(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec('node', args, cwd ? { cwd } : {})
    return { code: 0, ...r }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

const QUOTES = `
- id: ajar-myanmar
  text: The ICC must prioritise the ongoing Bangladesh/Myanmar investigation.
  language: en
  organisation: { name: Asia Justice and Rights, short: AJAR }
  situation: Bangladesh/Myanmar
  source: { title: Statement }
  consent: { status: granted }
- id: cicc-pending
  text: Support to the ICC must go hand in hand with sufficient and sustainable resources.
  language: en
  organisation: { name: Coalition for the ICC, short: CICC }
  source: { title: Statement }
  consent: { status: pending }
- id: cjk-quote
  text: 正義が遅れるのは正義が否定されるのと同じだ。
  language: ja
  organisation: { name: Test NGO }
  source: { title: Statement }
  consent: { status: granted }
`

describe('ngovoices render', () => {
  it('writes every card in every format with its alt text, on worker threads, then hits the cache', async () => {
    const dir = await tmpDir()
    const bank = join(dir, 'bank')
    const out = join(dir, 'out')
    const cache = join(dir, 'cache')
    const { mkdir } = await import('node:fs/promises')
    await mkdir(bank)
    await copyFile('fixtures/asp21/campaign.yaml', join(bank, 'campaign.yaml'))
    await writeFile(join(bank, 'quotes.yaml'), QUOTES)
    const args = ['bin/ngovoices.mjs', 'render', bank, '--out', out, '--cache', cache, '--threads', '2']

    const first = await run(args)
    // The quote no font can draw fails alone, named with the reason; the others are all written.
    expect(first.stdout).toMatch(/6 of 9 cards \(3 quotes × 3 formats\) in [\d.]+ s: 0 from cache, 3 failed/)
    expect(first.stderr).toMatch(
      /✗ cjk-quote \(landscape\): CardFitError: cjk-quote: no card font draws "正"/,
    )
    expect(first.code).toBe(1)
    expect(first.stdout).toMatch(/not schedulable:\n {2}cicc-pending: consent is pending/)
    const files = (await readdir(out)).sort()
    for (const id of ['ajar-myanmar', 'cicc-pending']) {
      for (const [format, w, h] of [
        ['landscape', 1600, 900],
        ['square', 1080, 1080],
        ['portrait', 1080, 1350],
      ] as const) {
        expect(files).toContain(`${id}.${format}.png`)
        const meta = await sharp(join(out, `${id}.${format}.png`)).metadata()
        expect([meta.width, meta.height]).toEqual([w, h])
        const alt = await readFile(join(out, `${id}.${format}.alt.txt`), 'utf8')
        expect(alt.length).toBeGreaterThan(40)
      }
    }
    expect(files).toHaveLength(12)

    const second = await run(args)
    expect(second.stdout).toMatch(/6 of 9 cards .*: 6 from cache, 3 failed/)
  })

  it('draws the cards when run from a campaign folder outside the repository', async () => {
    // tsx reads the tsconfig of the working directory, and a campaign folder has none: the card's .tsx files
    // must name satori's JSX runtime themselves, or every card fails with "React is not defined".
    const bank = await mkdtemp(join(tmpdir(), 'ngovoices-render-'))
    try {
      await copyFile('fixtures/asp21/campaign.yaml', join(bank, 'campaign.yaml'))
      await writeFile(join(bank, 'quotes.yaml'), QUOTES)
      const bin = resolve('bin/ngovoices.mjs')
      const args = [
        bin,
        'render',
        '.',
        '--format',
        'square',
        '--out',
        'out',
        '--cache',
        'cache',
        '--threads',
        '1',
      ]
      const r = await run(args, bank)
      expect(r.stderr).not.toContain('React')
      expect(r.stdout).toMatch(/2 of 3 cards \(3 quotes × 1 formats\) in [\d.]+ s: 0 from cache, 1 failed/)
      const meta = await sharp(join(bank, 'out', 'ajar-myanmar.square.png')).metadata()
      expect([meta.width, meta.height]).toEqual([1080, 1080])
    } finally {
      await rm(bank, { recursive: true, force: true })
    }
  })

  it('names a wrong --format and exits 1 without a stack trace', async () => {
    const err = await run(['bin/ngovoices.mjs', 'render', 'fixtures/asp21', '--format', 'story'])
    expect(err.code).toBe(1)
    expect(err.stderr).toContain('--format story is not a card format')
    expect(err.stderr).not.toMatch(/\n\s+at /)
  })
})
