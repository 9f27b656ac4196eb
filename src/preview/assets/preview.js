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
      afterSwap()
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

function afterSwap() {
  const who = document.getElementById('board-who')
  if (who) who.value = localStorage.getItem(WHO_KEY) ?? ''
  for (const [key, n] of notices) showNotice(key, n.text, n.kind)
}

// ---- The planning board ----------------------------------------------------------------------------
// Every write goes through send(): POST, JSON, same origin, with the page's anti-forgery token, which the
// server's security middleware checks. Refusals and warnings are shown beside the thread they concern and
// kept across live updates (the server re-renders <main>; we put our notices back).
const WHO_KEY = 'ngovoices-board-name'
const notices = new Map()

async function send(path, body) {
  const token = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? ''
  const res = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token },
    body: JSON.stringify(body),
  })
  let data
  try {
    data = await res.json()
  } catch {
    data = { ok: false, message: `The preview server answered ${res.status}: reload the page.` }
  }
  return { status: res.status, ...data }
}

function showNotice(key, text, kind) {
  const where =
    key === '*'
      ? document.getElementById('board-notice')
      : document.querySelector(`[data-notice-for="${CSS.escape(key)}"]`)
  if (!where) return
  where.textContent = text
  where.className = `notice ${kind}`
  where.setAttribute('role', kind === 'refused' ? 'alert' : 'status')
}

function notice(key, text, kind) {
  notices.set(key, { text, kind })
  showNotice(key, text, kind)
}

function planVersion() {
  return document.querySelector('[data-plan-version]')?.getAttribute('data-plan-version') ?? 'none'
}

function who() {
  return document.getElementById('board-who')?.value.trim() || localStorage.getItem(WHO_KEY) || ''
}

/** One change: send it, then say what happened beside the thread (key) and in the live region. */
async function change(path, body, key) {
  notice(key, 'Working…', 'busy')
  let r
  try {
    r = await send(path, { who: who(), ...body })
  } catch (err) {
    notice(key, `Could not reach the preview server (${err.message}).`, 'refused')
    return
  }
  if (r.ok) {
    const warnings = r.warnings ?? []
    notice(key, [r.message, ...warnings].join(' '), warnings.length ? 'warned' : 'done')
  } else {
    notice(key, r.message, r.stale ? 'stale' : 'refused')
  }
  say(r.message)
  if (r.ok || r.stale) {
    wanted = Math.max(wanted, version(main) + 1)
    refresh()
  }
}

const ACTIONS = {
  lock: (b) => [
    '/api/plan/lock',
    { version: planVersion(), thread: b.dataset.thread, locked: b.dataset.locked === 'true' },
  ],
  cancel: (b, note) => [
    '/api/plan/cancel',
    { version: planVersion(), thread: b.dataset.thread, cancelled: true, note },
  ],
  restore: (b) => [
    '/api/plan/cancel',
    { version: planVersion(), thread: b.dataset.thread, cancelled: false },
  ],
  replan: () => ['/api/plan/replan', { version: planVersion() }],
  withdraw: (b, note) => ['/api/quotes/withdraw', { quote: b.dataset.quote, note }],
  approve: (b, note) => ['/api/quotes/approve', { quote: b.dataset.quote, note }],
  pause: () => ['/api/run/pause', {}],
  resume: () => ['/api/run/resume', {}],
  retry: (b) => ['/api/run/retry', { thread: b.dataset.thread }],
  'run-cancel': (b, note) => ['/api/run/cancel', { thread: b.dataset.thread, note }],
}

function keyOf(b) {
  if (b.dataset.thread) return b.dataset.thread
  if (b.dataset.quote) return `quote-${b.dataset.quote}`
  return '*'
}

/** A confirmation in the page (not window.confirm): the question, an optional note, Yes / No. */
function confirmWith(question, withNote) {
  let dialog = document.getElementById('board-confirm')
  if (!dialog) {
    dialog = document.createElement('dialog')
    dialog.id = 'board-confirm'
    dialog.className = 'board-confirm'
    dialog.innerHTML = `<form method="dialog"><p class="question"></p>
      <p class="note-field"><label for="board-note">Note for the change log (optional)</label>
      <input id="board-note" maxlength="300"></p>
      <p class="buttons"><button value="yes" class="yes">Yes, do it</button> <button value="no">No, go back</button></p></form>`
    document.body.append(dialog)
  }
  dialog.querySelector('.question').textContent = question
  dialog.querySelector('.note-field').hidden = !withNote
  const note = dialog.querySelector('#board-note')
  note.value = ''
  dialog.returnValue = ''
  dialog.showModal()
  return new Promise((ok) => {
    dialog.addEventListener(
      'close',
      () => ok(dialog.returnValue === 'yes' ? { note: note.value.trim() || undefined } : undefined),
      { once: true },
    )
  })
}

document.addEventListener('click', async (e) => {
  const b = e.target instanceof Element ? e.target.closest('button[data-action]') : null
  const make = b ? ACTIONS[b.dataset.action] : undefined
  if (!b || !make) return
  let note
  if (b.dataset.confirm !== undefined) {
    const answer = await confirmWith(b.dataset.confirm, b.dataset.note !== undefined)
    if (!answer) return
    note = answer.note
  }
  const [path, body] = make(b, note)
  await change(path, body, keyOf(b))
})

document.addEventListener('submit', (e) => {
  const form =
    e.target instanceof HTMLFormElement && e.target.classList.contains('move-form') ? e.target : null
  if (!form) return
  e.preventDefault()
  const data = new FormData(form)
  moveTo(form.dataset.thread, String(data.get('day')), String(data.get('time')))
})

document.addEventListener('change', (e) => {
  if (e.target instanceof HTMLInputElement && e.target.id === 'board-who')
    localStorage.setItem(WHO_KEY, e.target.value.trim())
})

function moveTo(thread, day, time) {
  return change('/api/plan/move', { version: planVersion(), thread, day, time }, thread)
}

// Drag: dropped on a day's cell it keeps its local time; dropped on one of the times shown while dragging, it
// takes that time.
let dragged
document.addEventListener('dragstart', (e) => {
  const slot = e.target instanceof Element ? e.target.closest('.slot[draggable="true"]') : null
  if (!slot) return
  dragged = slot
  e.dataTransfer?.setData('text/plain', slot.dataset.thread ?? '')
  if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move'
  document.body.classList.add('dragging')
  slot.classList.add('being-dragged')
})
document.addEventListener('dragend', () => {
  document.body.classList.remove('dragging')
  dragged?.classList.remove('being-dragged')
  for (const el of document.querySelectorAll('.drop-here')) el.classList.remove('drop-here')
  dragged = undefined
})
function dropTarget(e) {
  return e.target instanceof Element ? e.target.closest('.drop-slot, [data-drop-day]') : null
}
// Both: a browser fires dragenter once on arrival and dragover while the pointer stays, and either accepts.
function overTarget(e) {
  const target = dragged ? dropTarget(e) : null
  if (!target) return
  e.preventDefault()
  for (const el of document.querySelectorAll('.drop-here'))
    if (el !== target) el.classList.remove('drop-here')
  target.classList.add('drop-here')
}
document.addEventListener('dragenter', overTarget)
document.addEventListener('dragover', overTarget)
document.addEventListener('drop', (e) => {
  const target = dragged ? dropTarget(e) : null
  if (!target || !dragged) return
  e.preventDefault()
  const thread = dragged.dataset.thread
  const time = target.dataset.dropTime ?? dragged.dataset.time
  moveTo(thread, target.dataset.dropDay, time)
})

afterSwap()

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
