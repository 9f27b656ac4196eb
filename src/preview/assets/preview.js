// Live update for the ngovoices preview page. Served as a file: the page's CSP forbids inline scripts.
// The server sends "reload" with a version number when the quote bank or plan changes; we fetch the page
// again and swap <main>, keeping scroll position and focus, and say so in the live region.
const main = document.getElementById('main')
const live = document.getElementById('live')

function version(el) {
  return Number(el?.dataset.version ?? 0)
}

function say(text) {
  if (live) live.textContent = text
}

let fetching = false
let wanted = 0

async function refresh() {
  if (fetching || !main) return
  fetching = true
  try {
    while (wanted > version(main)) {
      const res = await fetch(location.pathname + location.search, {
        cache: 'no-store',
        credentials: 'same-origin',
      })
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      const next = new DOMParser().parseFromString(await res.text(), 'text/html').getElementById('main')
      if (!next) throw new Error('no <main> in the page')
      const focused = document.activeElement?.id
      main.replaceChildren(...Array.from(next.childNodes, (n) => document.importNode(n, true)))
      main.dataset.version = String(version(next))
      if (focused) document.getElementById(focused)?.focus({ preventScroll: true })
      const problems = main.querySelector('.problems')
      say(
        `Updated ${new Date().toLocaleTimeString()}${problems ? ': the files have problems, see the top of the page' : ''}`,
      )
    }
  } catch (err) {
    say(`Could not refresh (${err.message}): reload the page`)
  } finally {
    fetching = false
  }
}

if (main && 'EventSource' in window) {
  const events = new EventSource('/events')
  const onVersion = (e) => {
    wanted = Math.max(wanted, Number(e.data))
    refresh()
  }
  events.addEventListener('hello', onVersion)
  events.addEventListener('reload', onVersion)
  events.addEventListener('error', () => say('Lost the connection to the preview server: retrying…'))
}
