import { mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type PreviewServer, startPreview } from '../../src/preview/server.ts'
import { copyFixtureBank } from '../fixture-copy.ts'
import { dropNamespace, testPrefix } from '../redis-namespace.ts'

// The live-update stream (/events), without a browser: each tab's stream gives back what it took from the
// server when the tab goes, however often tabs come and go.

let dir: string
const prefix = testPrefix('events')
let server: PreviewServer

beforeAll(async () => {
  dir = await mkdtemp(join('test', '.tmp', 'events-'))
  await copyFixtureBank('fixtures/preview', join(dir, 'bank'))
  server = await startPreview({
    dir: join(dir, 'bank'),
    port: 0,
    cacheDir: join(dir, 'cache'),
    queuePrefix: prefix,
    graceMinutes: 30,
    watch: false,
  })
})
afterAll(async () => {
  await server?.close()
  await dropNamespace(prefix)
  await rm(dir, { recursive: true, force: true })
})

/** Bounded poll of the server's own count (no sleeps): fails the test after `ms`. */
async function streamsBackTo(n: number, ms = 5_000): Promise<void> {
  const end = Date.now() + ms
  while (server.streams !== n) {
    if (Date.now() > end) throw new Error(`still ${server.streams} open streams, expected ${n}`)
    await new Promise((ok) => setImmediate(ok))
  }
}

describe('preview live updates (/events)', () => {
  it('says hello on each connection and releases everything when 25 tabs come and go, one after another', async () => {
    const warnings: Error[] = []
    const onWarning = (w: Error) => warnings.push(w)
    process.on('warning', onWarning)
    try {
      for (let i = 0; i < 25; i++) {
        const tab = new AbortController()
        const res = await fetch(new URL('/events', server.url), { signal: tab.signal })
        expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
        const reader = res.body?.getReader()
        if (!reader) throw new Error('no body')
        const first = await reader.read()
        expect(new TextDecoder().decode(first.value)).toMatch(/^event: hello\ndata: \d+\n/)
        expect(server.streams).toBe(1)
        tab.abort()
        await reader.closed.catch(() => undefined)
        await streamsBackTo(0)
      }
      await new Promise((ok) => setImmediate(ok))
      expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning')
    } finally {
      process.off('warning', onWarning)
    }
  })
})
