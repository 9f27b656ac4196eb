import type { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { LiveModel } from './live-model.ts'

// @NOTE One Server-Sent Events stream per open tab: "reload" carries the new version, the client fetches
// the page again and swaps <main>. A comment every 20 s keeps proxies from closing an idle stream.
export function mountEvents(app: Hono, live: LiveModel, closing: AbortSignal): void {
  app.get('/events', (c) =>
    streamSSE(c, async (stream) => {
      let wake: () => void = () => {}
      const unsubscribe = live.subscribe((m) => {
        stream.writeSSE({ event: 'reload', data: String(m.version) }).catch(() => wake())
      })
      const done = new Promise<void>((ok) => {
        wake = ok
        stream.onAbort(ok)
        closing.addEventListener('abort', () => ok(), { once: true })
      })
      // Tells a reconnecting tab whether it missed an update while it was away.
      await stream.writeSSE({ event: 'hello', data: String(live.current.version) })
      const ping = setInterval(() => {
        stream.write(': keep-alive\n\n').catch(() => wake())
      }, 20_000)
      await done
      clearInterval(ping)
      unsubscribe()
    }),
  )
}
