import { readdir, readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openQueues, type Queues } from '../../queues/queues.ts'
import { BOARD_WRITE_PATHS } from '../../src/preview/board-routes.ts'
import { type PreviewServer, startPreview } from '../../src/preview/server.ts'
import { redisDump } from '../queues/helpers.ts'
import { dropNamespace, REDIS_URL, testPrefix } from '../redis-namespace.ts'
import { copyBank, launch, tempDir } from './helpers.ts'

// @NOTE The attack of the page-security issue, replayed: a page on another origin (127.0.0.2) in a real
// Chromium tries every way a browser lets it write to the preview, and Node forges an Origin for every write
// route of the queue dashboard. The dashboard is started *with* its actions, so only the page's own gate stands
// between these requests and Redis; the namespace must come out byte for byte the same.

const prefix = testPrefix('cross-site')

/** Every write route of Bull Board's API, with real values in its parameters. */
function writeRoutes(jobId: string): [method: string, path: string][] {
  const q = 'publish-x'
  return [
    ['POST', `/queues/api/queues/${q}/add`],
    ['PUT', '/queues/api/queues/pause'],
    ['PUT', '/queues/api/queues/resume'],
    ['PUT', `/queues/api/queues/${q}/retry/failed`],
    ['PUT', `/queues/api/queues/${q}/promote`],
    ['PUT', `/queues/api/queues/${q}/clean/delayed`],
    ['PUT', `/queues/api/queues/${q}/pause`],
    ['PUT', `/queues/api/queues/${q}/resume`],
    ['PUT', `/queues/api/queues/${q}/concurrency`],
    ['PUT', `/queues/api/queues/${q}/rate-limit`],
    ['PUT', `/queues/api/queues/${q}/rate-limit/release`],
    ['PUT', `/queues/api/queues/${q}/empty`],
    ['PUT', `/queues/api/queues/${q}/obliterate`],
    ['PUT', `/queues/api/queues/${q}/job-schedulers/s1/remove`],
    ['PATCH', `/queues/api/queues/${q}/job-schedulers/s1`],
    ['PUT', `/queues/api/queues/${q}/job-schedulers/s1/run`],
    ['PUT', `/queues/api/queues/${q}/${jobId}/retry`],
    ['PUT', `/queues/api/queues/${q}/${jobId}/clean`],
    ['PUT', `/queues/api/queues/${q}/${jobId}/promote`],
    ['PATCH', `/queues/api/queues/${q}/${jobId}/update-data`],
    ['PATCH', `/queues/api/queues/${q}/${jobId}/delay`],
    ['POST', '/queues/api/metrics/history/purge'],
    ['DELETE', '/'],
    // The planning board's writes (plan.yaml, the quote bank, pause/resume/retry/cancel).
    ...BOARD_WRITE_PATHS.map((p): [string, string] => ['POST', p]),
  ]
}

const INJECTED = JSON.stringify({
  name: 'post',
  data: { v: 1, mode: 'live', dir: '/elsewhere', campaign: 'asp21', threadId: 't', quoteId: 'q' },
})

/** The hostile page: a text/plain form, no-cors POSTs, and CORS writes that need a preflight. */
function attackerPage(target: string, routes: [string, string][]): string {
  const calls = JSON.stringify(routes.map(([m, p]) => [m, `${target}${p}`]))
  return `<!doctype html><html><body>
<form id="f" method="POST" enctype="text/plain" action="${target}/queues/api/queues/publish-x/add" target="sink">
<input name='${INJECTED.slice(0, -2)}, "x": "' value='"}}'></form>
<iframe name="sink"></iframe>
<script>
const body = ${JSON.stringify(INJECTED)};
const calls = ${calls};
Promise.allSettled(calls.flatMap(([method, url]) => [
  method === 'POST' ? fetch(url, { method, mode: 'no-cors', body, headers: { 'content-type': 'text/plain' } }) : null,
  fetch(url, { method, mode: 'cors', body, headers: { 'content-type': 'application/json' } }),
]).filter(Boolean)).then(() => {
  document.title = 'fetched';
  document.getElementById('f').submit();
});
</script></body></html>`
}

function request(
  url: string,
  method: string,
  headers: Record<string, string>,
  body = INJECTED,
): Promise<number> {
  return fetch(url, { method, headers: { 'content-type': 'application/json', ...headers }, body }).then(
    async (r) => {
      await r.arrayBuffer()
      return r.status
    },
  )
}

describe('the preview refuses writes from anywhere but its own page', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>
  let preview: PreviewServer
  let readOnly: PreviewServer
  let attacker: Server
  let attackerUrl: string
  let browser: BrowserContext
  let redis: Redis
  let q: Queues
  let jobId: string
  let dir: string
  /** The campaign folder's files and their text: the board's routes write plan.yaml and the quote bank. */
  const folder = async () => {
    const names = (await readdir(dir)).sort()
    return Promise.all(names.map(async (n) => `${n}\n${await readFile(join(dir, n), 'utf8')}`))
  }

  beforeAll(async () => {
    tmp = await tempDir('cross-site')
    dir = await copyBank('asp21', tmp.dir)
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null })
    q = openQueues(redis, prefix)
    const job = await q.publish.x.add('post', { v: 1 } as never, { jobId: 'asp21--t1--x', delay: 3_600_000 })
    jobId = job.id ?? ''
    const base = {
      dir,
      port: 0,
      cacheDir: join(tmp.dir, 'cache'),
      redisUrl: REDIS_URL,
      queuePrefix: prefix,
      graceMinutes: 30,
      watch: false,
    }
    preview = await startPreview({ ...base, queueActions: true })
    readOnly = await startPreview(base)
    const target = preview.url.replace(/\/$/, '')
    const page = attackerPage(target, writeRoutes(jobId))
    attacker = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end(page)
    })
    await new Promise<void>((ok) => attacker.listen(0, '127.0.0.2', ok))
    attackerUrl = `http://127.0.0.2:${(attacker.address() as AddressInfo).port}/`
    browser = await launch(join(tmp.dir, 'profile'))
  })

  afterAll(async () => {
    await browser?.close()
    await new Promise((ok) => attacker?.close(ok))
    await preview?.close()
    await readOnly?.close()
    await q?.close()
    redis?.disconnect()
    await dropNamespace(prefix)
    await tmp?.remove()
  })

  it('a page on another origin gets 403 for a text/plain form, no-cors and CORS writes; Redis is unchanged', async () => {
    const before = await redisDump(prefix)
    const files = await folder()
    const page = await browser.newPage()
    const statuses: string[] = []
    page.on('response', (r) => {
      if (r.url().startsWith(preview.url)) statuses.push(`${r.request().method()} ${r.status()}`)
    })
    const form = page.waitForResponse(
      (r) => r.url().endsWith('/publish-x/add') && r.request().resourceType() === 'document',
    )
    await page.goto(attackerUrl)
    await page.waitForFunction(() => document.title === 'fetched')
    expect((await form).status()).toBe(403)
    await page.close()
    // The form and the no-cors POSTs reach the server (a browser sends them without asking): each is refused.
    expect(statuses.filter((s) => s.startsWith('POST')).length).toBeGreaterThanOrEqual(3)
    expect(statuses.filter((s) => !s.endsWith(' 403'))).toEqual([])
    expect(await redisDump(prefix)).toBe(before)
    expect(await folder()).toEqual(files)
  })

  it('a forged Origin, a missing Origin or a missing token is refused on every write route', async () => {
    const before = await redisDump(prefix)
    const files = await folder()
    const own = preview.url.replace(/\/$/, '')
    const token = await csrfOf(preview)
    for (const [method, path] of writeRoutes(jobId)) {
      const url = `${own}${path}`
      expect(await request(url, method, { origin: 'http://127.0.0.2:9', 'x-csrf-token': token }), path).toBe(
        403,
      )
      expect(await request(url, method, { 'x-csrf-token': token }), path).toBe(403)
      expect(
        await request(url, method, { 'sec-fetch-site': 'cross-site', 'x-csrf-token': token }),
        path,
      ).toBe(403)
      expect(await request(url, method, { origin: own }), path).toBe(403)
      expect(await request(url, method, { origin: own, 'x-csrf-token': 'not-the-token' }), path).toBe(403)
    }
    expect(await redisDump(prefix)).toBe(before)
    expect(await folder()).toEqual(files)
  })

  it('the page itself may write: its origin and token pass, and the dashboard gets the token as a cookie', async () => {
    const page = await browser.newPage()
    await page.goto(preview.url)
    const paused = await page.evaluate(async () => {
      const token = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? ''
      const r = await fetch('/queues/api/queues/publish-x/pause', {
        method: 'PUT',
        headers: { 'x-csrf-token': token },
      })
      return r.status
    })
    expect(paused).toBe(200)
    expect(await q.publish.x.isPaused()).toBe(true)
    // Without Origin but with Sec-Fetch-Site: same-origin (what a browser sends when it omits Origin).
    const own = preview.url.replace(/\/$/, '')
    const resumed = await request(`${own}/queues/api/queues/publish-x/resume`, 'PUT', {
      'sec-fetch-site': 'same-origin',
      'x-csrf-token': await csrfOf(preview),
    })
    expect(resumed).toBe(200)
    expect(await q.publish.x.isPaused()).toBe(false)
    // Bull Board's own page: its HTTP client echoes this cookie as X-XSRF-TOKEN on same-origin requests.
    await page.goto(`${preview.url}queues`)
    const cookie = (await browser.cookies(`${preview.url}queues`)).find((c) => c.name === 'XSRF-TOKEN')
    expect(cookie?.value).toBe(await csrfOf(preview))
    expect(cookie?.sameSite).toBe('Strict')
    const viaBoard = await page.evaluate(async (t) => {
      const r = await fetch('api/queues/publish-x/pause', { method: 'PUT', headers: { 'x-xsrf-token': t } })
      return r.status
    }, cookie?.value ?? '')
    expect(viaBoard).toBe(200)
    expect(await q.publish.x.isPaused()).toBe(true)
    await q.publish.x.resume()
    await page.close()
  })

  it('without --queue-actions the dashboard is read-only, even for the page itself', async () => {
    const own = readOnly.url.replace(/\/$/, '')
    const token = await csrfOf(readOnly)
    const status = await request(`${own}/queues/api/queues/publish-x/pause`, 'PUT', {
      origin: own,
      'x-csrf-token': token,
    })
    expect(status).not.toBe(200)
    expect(await q.publish.x.isPaused()).toBe(false)
    const cookies = await fetch(`${own}/queues`).then((r) => r.headers.getSetCookie())
    expect(cookies.filter((c) => c.startsWith('XSRF-TOKEN='))).toEqual([])
  })
})

/** The token as the page embeds it (what a script on the page can read, and nothing else can). */
async function csrfOf(server: PreviewServer): Promise<string> {
  const body = await fetch(server.url).then((r) => r.text())
  const m = body.match(/<meta name="csrf-token" content="([^"]+)">/)
  if (!m?.[1]) throw new Error('the page embeds no csrf-token')
  return m[1]
}
