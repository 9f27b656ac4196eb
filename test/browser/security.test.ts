import { spawn } from 'node:child_process'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InputError } from '../../src/core/problem.ts'
import { escapeHtml, html, safeUrl } from '../../src/preview/html.ts'
import { safeRedirectPath } from '../../src/preview/redirect.ts'
import { type PreviewServer, startPreview } from '../../src/preview/server.ts'
import { dropNamespace, testPrefix } from '../redis-namespace.ts'
import { copyBank, ROOT, tempDir } from './helpers.ts'

const TOKEN = 'a-test-token-of-32-characters-xx'
const prefix = testPrefix('preview-sec')

/** A raw request, so the test can send any Host header (fetch forbids setting it). */
function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((ok, fail) => {
    const req = request(url, { headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => {
        body += d
      })
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', fail)
    req.end()
  })
}

describe('escaping', () => {
  it('escapes every character that could open markup or leave an attribute', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y' \``)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39; &#96;',
    )
  })

  it('escapes interpolated strings but keeps nested templates, and drops false and undefined', () => {
    const name = '<img src=x onerror=alert(1)>'
    const out = html`<p title="${name}">${name}${[html`<b>ok</b>`, '<i>']}${false}${undefined}</p>`.value
    expect(out).toBe(
      '<p title="&lt;img src=x onerror=alert(1)&gt;">&lt;img src=x onerror=alert(1)&gt;<b>ok</b>&lt;i&gt;</p>',
    )
  })

  it('lets only http(s) links through', () => {
    expect(safeUrl('javascript:alert(1)')).toBeUndefined()
    expect(safeUrl('data:text/html,<script>')).toBeUndefined()
    expect(safeUrl('https://example.org/a?b=<c>')).toBe('https://example.org/a?b=%3Cc%3E')
  })
})

describe('preview server security', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>
  let bankDir: string
  let open: PreviewServer
  let guarded: PreviewServer

  beforeAll(async () => {
    tmp = await tempDir('browser-sec')
    bankDir = await copyBank('preview', tmp.dir)
    const base = {
      dir: bankDir,
      port: 0,
      cacheDir: join(tmp.dir, 'cache'),
      queuePrefix: prefix,
      graceMinutes: 30,
      watch: false,
    }
    open = await startPreview(base)
    guarded = await startPreview({ ...base, token: TOKEN })
  })
  afterAll(async () => {
    await open?.close()
    await guarded?.close()
    await tmp?.remove()
    await dropNamespace(prefix)
  })

  it('binds 127.0.0.1 and sends a CSP that forbids inline and foreign scripts', async () => {
    expect(open.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    const res = await get(open.url)
    expect(res.status).toBe(200)
    const csp = String(res.headers['content-security-policy'])
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("default-src 'none'")
    expect(csp).not.toContain('unsafe-inline')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    // No inline script anywhere: every <script> has a src.
    expect(res.body.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull()
  })

  it('answers only to a loopback Host name (no DNS rebinding)', async () => {
    await expect(get(open.url, { host: 'attacker.example' })).resolves.toMatchObject({ status: 421 })
    await expect(get(open.url, { host: `localhost:${open.port}` })).resolves.toMatchObject({ status: 200 })
  })

  it('with a token, refuses requests without it and accepts it as bearer, query (then cookie)', async () => {
    await expect(get(guarded.url)).resolves.toMatchObject({ status: 401 })
    await expect(
      get(guarded.url, { authorization: 'Bearer wrong-token-wrong-token' }),
    ).resolves.toMatchObject({ status: 401 })
    await expect(get(guarded.url, { authorization: `Bearer ${TOKEN}` })).resolves.toMatchObject({
      status: 200,
    })
    const viaQuery = await get(`${guarded.url}cards?token=${TOKEN}`)
    expect(viaQuery.status).toBe(303)
    expect(viaQuery.headers.location).toBe('/cards')
    const cookie = String(viaQuery.headers['set-cookie']).split(';')[0] ?? ''
    expect(cookie).toContain('ngovoices_preview=')
    await expect(get(`${guarded.url}cards`, { cookie })).resolves.toMatchObject({ status: 200 })
  })

  it('after ?token= redirects only to a path on this server', async () => {
    for (const path of ['//other.example/x', '/\\other.example/x', '//other.example/%2e%2e/x']) {
      const res = await get(`${guarded.url.replace(/\/$/, '')}${path}?token=${TOKEN}`)
      expect(res.status, path).toBe(303)
      expect(res.headers.location, path).toBe('/')
    }
    expect(safeRedirectPath('/cards?x=1')).toBe('/cards?x=1')
    expect(safeRedirectPath('https://other.example/')).toBe('/')
  })

  it('refuses a non-loopback host without a token, with a message saying what to do', async () => {
    const err = await startPreview({
      dir: bankDir,
      port: 0,
      host: '0.0.0.0',
      cacheDir: tmp.dir,
      queuePrefix: prefix,
      graceMinutes: 30,
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InputError)
    expect(String((err as InputError).message)).toContain('PREVIEW_TOKEN')
  })

  it('without Redis, serves the page and says why the queue panels are empty', async () => {
    const noRedis = await startPreview({
      dir: bankDir,
      port: 0,
      cacheDir: tmp.dir,
      queuePrefix: prefix,
      graceMinutes: 30,
      watch: false,
      redisUrl: 'redis://127.0.0.1:1',
    })
    try {
      expect(noRedis.queuesMounted).toBe(false)
      const page = await get(noRedis.url)
      expect(page.status).toBe(200)
      expect(page.body).toContain('Redis is not reachable')
      await expect(get(`${noRedis.url}queues`)).resolves.toMatchObject({ status: 404 })
    } finally {
      await noRedis.close()
    }
  })

  it('says so when the port is taken, instead of crashing', async () => {
    const err = await startPreview({
      dir: bankDir,
      port: open.port,
      cacheDir: tmp.dir,
      queuePrefix: prefix,
      graceMinutes: 30,
      watch: false,
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InputError)
    expect((err as InputError).problems[0]?.message).toBe(`port ${open.port} on 127.0.0.1 is already in use`)
  })

  it('the command prints the URL for --port 0, and refuses --host without PREVIEW_TOKEN', async () => {
    const env = Object.fromEntries(
      Object.entries({ ...process.env, LOG_LEVEL: 'silent', NGOVOICES_QUEUE_PREFIX: prefix }).filter(
        ([k]) => k !== 'PREVIEW_TOKEN' && k !== 'REDIS_URL',
      ),
    )
    const refused = spawn(
      process.execPath,
      [join(ROOT, 'bin/ngovoices.mjs'), 'preview', bankDir, '--host', '0.0.0.0'],
      {
        env,
        cwd: tmp.dir,
      },
    )
    let stderr = ''
    refused.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    const code = await new Promise<number | null>((ok) => refused.on('close', ok))
    expect(code).toBe(1)
    expect(stderr).toContain('PREVIEW_TOKEN')
    expect(stderr).not.toMatch(/\n\s+at /) // a user's mistake, not a stack trace

    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin/ngovoices.mjs'), 'preview', bankDir, '--port', '0'],
      { env, cwd: tmp.dir },
    )
    try {
      const url = await new Promise<string>((ok, fail) => {
        let out = ''
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//)
          if (m) ok(m[0])
        })
        child.on('close', (c) => fail(new Error(`preview exited with ${c} before printing its URL`)))
      })
      await expect(get(url)).resolves.toMatchObject({ status: 200 })
    } finally {
      const closed = new Promise((ok) => child.on('close', ok))
      child.kill('SIGTERM')
      await closed
    }
  })
})
