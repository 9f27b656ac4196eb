import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
import sharp from 'sharp'
import { type PreviewServer, startPreview } from '../../src/preview/server.ts'
import { copyFixtureBank } from '../fixture-copy.ts'

// @NOTE Debian's Chromium, driven by playwright-core (which downloads no browser). A fresh profile per run,
// and everything that could reach the network at start-up switched off.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export const ROOT = new URL('../../', import.meta.url).pathname

/**
 * A folder under test/.tmp. `fixed` gives it a name without a random part (emptied first), for a test whose
 * screenshots show file paths: the committed screenshots then only change when the page does.
 */
export async function tempDir(
  area: string,
  fixed = false,
): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = join(ROOT, 'test', '.tmp', fixed ? area : `${area}-${randomBytes(4).toString('hex')}`)
  if (fixed) await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  // Retries: a card render the page started may still be writing into the folder as the test ends.
  return { dir, remove: () => rm(dir, { recursive: true, force: true, maxRetries: 5 }) }
}

/** A private copy of a fixture bank, so a test can edit it. */
export async function copyBank(fixture: string, into: string): Promise<string> {
  const dir = join(into, fixture)
  await copyFixtureBank(join(ROOT, 'fixtures', fixture), dir)
  return dir
}

/**
 * A preview of a bank as it looked the week before the ASP21 session (so nothing reads as missed), not watching
 * its files.
 */
export function stillPreview(dir: string, cacheDir: string, queuePrefix: string): Promise<PreviewServer> {
  return startPreview({
    dir,
    port: 0,
    cacheDir,
    queuePrefix,
    graceMinutes: 30,
    watch: false,
    now: () => new Date('2022-12-01T09:00:00Z'),
  })
}

export async function launch(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
  })
}

export interface Watched {
  page: Page
  /** Console errors, uncaught page errors, failed requests and dialogs seen so far. */
  errors: string[]
  dialogs: string[]
}

/** A new tab that records everything a test must assert did not happen. */
export async function watchedPage(ctx: BrowserContext): Promise<Watched> {
  const page = await ctx.newPage()
  const errors: string[] = []
  const dialogs: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`)
  })
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  page.on('requestfailed', (r) => {
    // Requests cut short by a navigation (the live-update stream, a refresh in flight) are not page defects.
    const why = r.failure()?.errorText ?? ''
    if (why !== 'net::ERR_ABORTED') errors.push(`requestfailed: ${r.url()} ${why}`)
  })
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`)
    d.dismiss().catch(() => {})
  })
  return { page, errors, dialogs }
}

/**
 * Writes a screenshot for the README's folder, unless the one already there shows the same picture. @NOTE Chromium
 * antialiases a rounded image corner a shade differently from run to run; rewriting the file for that would leave
 * every `npm test` with a changed tracked file.
 */
export async function saveScreenshot(png: Buffer, path: string): Promise<void> {
  const before = await readFile(path).catch(() => undefined)
  if (before && (await samePicture(before, png))) return
  await writeFile(path, png)
}

async function samePicture(a: Buffer, b: Buffer): Promise<boolean> {
  const [x, y] = await Promise.all(
    [a, b].map((img) => sharp(img).raw().toBuffer({ resolveWithObject: true })),
  )
  if (!x || !y || x.info.width !== y.info.width || x.info.height !== y.info.height) return false
  for (let i = 0; i < x.data.length; i++) if (Math.abs((x.data[i] ?? 0) - (y.data[i] ?? 0)) > 8) return false
  return true
}
