import type { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { LiveModel } from './live-model.ts'

// @NOTE One Server-Sent Events stream per open tab: "reload" carries the new version, the client fetches
// the page again and swaps <main>. A comment every 20 s keeps proxies from closing an idle stream.
export function mountEvents(app: Hono, live: LiveModel, closing: AbortSignal): { readonly open: number } {
  let open = 0
  app.get('/events', (c) =>
    streamSSE(c, async (stream) => {
      open++
      let wake: () => void = () => {}
      const done = new Promise<void>((ok) => {
        wake = ok
      })
      stream.onAbort(() => wake())
      // Removed again when this stream ends: a tab that reconnects all day must not pile listeners on the
      // server-wide signal.
      const onClosing = () => wake()
      closing.addEventListener('abort', onClosing, { once: true })
      if (closing.aborted) wake()
      const unsubscribe = live.subscribe((m) => {
        stream.writeSSE({ event: 'reload', data: String(m.version) }).catch(() => wake())
      })
      const ping = setInterval(() => {
        stream.write(': keep-alive\n\n').catch(() => wake())
      }, 20_000)
      try {
        // Tells a reconnecting tab whether it missed an update while it was away.
        await stream.writeSSE({ event: 'hello', data: String(live.current.version) })
        await done
      } finally {
        clearInterval(ping)
        closing.removeEventListener('abort', onClosing)
        unsubscribe()
        open--
      }
    }),
  )
  return {
    get open() {
      return open
    },
  }
}
