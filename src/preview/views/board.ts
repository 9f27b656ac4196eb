import type { Change } from '../../calendar/change-log.ts'
import { dayGrid } from '../../calendar/grid.ts'
import type { Slot } from '../../calendar/types.ts'
import type { Campaign } from '../../campaign/schema.ts'
import type { Quote } from '../../quotes/schema.ts'
import type { BoardView } from '../board-routes.ts'
import { html, type SafeHtml } from '../html.ts'
import type { DisplayStatus } from '../status.ts'
import { dayIn, dayLabel, localTime } from '../time.ts'

// @NOTE The planning board's controls, in plain words for comms officers. Everything a drag does, the "Move"
// form does from the keyboard or a screen reader; every change that cannot be undone in one click asks first
// (data-confirm, shown by the page's script in a dialog). The script (assets/preview.js) sends them.

const who = (c: Change) => c.who || 'someone'

export function boardBar(board: BoardView): SafeHtml {
  const run =
    board.paused === undefined
      ? html`<p class="run-state">Posting: <span class="muted">the queue is not reachable from here</span></p>`
      : board.paused
        ? html`<p class="run-state paused">Posting is <strong>paused</strong>.
            <button type="button" data-action="resume" data-confirm="Resume posting? Every worker goes on with the threads that are due.">Resume posting</button></p>`
        : html`<p class="run-state">Posting is <strong>on</strong>.
            <button type="button" data-action="pause" data-confirm="Pause all posting now? No worker posts anything until someone resumes; a thread being posted stops before its next part.">Pause all posting</button></p>`
  return html`<section class="board-bar" aria-label="Planning board">
    <p class="who"><label for="board-who">Your name (for the change log)</label>
      <input id="board-who" name="who" autocomplete="name" maxlength="80" placeholder="e.g. Amina, comms"></p>
    ${run}
    <p><button type="button" data-action="replan" data-confirm="Re-plan the rest of the week? Locked and posted threads stay where they are; the others may move to fit the rules.">Re-plan the rest</button></p>
    <p id="board-notice" class="notice" role="status" aria-live="polite"></p>
  </section>`
}

const RUNNABLE: DisplayStatus[] = ['failed', 'missed', 'unconfirmed']

/** The buttons on one thread of the calendar, and the place its notices (refusals, warnings) appear. */
export function slotControls(
  slot: Slot,
  quote: Quote | undefined,
  statuses: DisplayStatus[],
  c: Campaign,
): SafeHtml {
  const id = slot.threadId
  const posted = slot.status === 'posted' || statuses.includes('posted')
  const local = localTime(slot.at, c.timezone)
  const name = quote ? (quote.organisation.short ?? quote.organisation.name) : slot.quoteId
  const formId = `move-${id}`
  const move =
    posted || slot.status === 'cancelled'
      ? ''
      : html`<details class="move"><summary>Move</summary>
        <form class="move-form" id="${formId}" data-thread="${id}" aria-label="Move ${name}">
          <label>Day <select name="day">${c.days.map(
            (d) =>
              html`<option value="${d.date}"${d.date === slot.day ? html` selected` : ''}>${dayLabel(d.date)}</option>`,
          )}</select></label>
          <label>Time <input name="time" type="time" value="${local}" required></label>
          <button type="submit">Move here</button>
        </form></details>`
  const lock = posted
    ? ''
    : html`<button type="button" data-action="lock" data-thread="${id}" data-locked="${slot.locked ? 'false' : 'true'}">${slot.locked ? 'Unlock' : 'Lock'}</button>`
  const cancel = posted
    ? ''
    : slot.status === 'cancelled'
      ? html`<button type="button" data-action="restore" data-thread="${id}" data-confirm="Restore this thread? It goes back to its slot and will be posted.">Restore</button>`
      : html`<button type="button" data-action="cancel" data-thread="${id}" data-note data-confirm="Cancel this thread? It will not be posted, and re-planning leaves it out.">Cancel</button>`
  const withdraw = quote && !posted ? withdrawButton(quote, id) : ''
  const run = statuses.some((s) => RUNNABLE.includes(s))
    ? html`<button type="button" data-action="retry" data-thread="${id}" data-confirm="Post this thread again now? Parts already out are not posted twice.">Retry</button>
       <button type="button" data-action="run-cancel" data-thread="${id}" data-note data-confirm="Stop this thread for good? Parts already out stay; the rest is not posted.">Stop posting</button>`
    : ''
  const fixed = posted ? html`<p class="fixed">Posted: it stays where it is.</p>` : ''
  return html`<div class="controls">${fixed}${move}${lock}${cancel}${withdraw}${run}</div>
    <p class="notice" data-notice-for="${id}" role="status" aria-live="polite"></p>`
}

/** Where a dragged thread can land in one cell: the cell itself (keeps its time) and the planner's times. */
export function dropSlots(c: Campaign, day: string, inBand: (hhmm: string) => boolean): SafeHtml {
  const times = dayGrid(c, day)
    .map((g) => g.time)
    .filter(inBand)
    .sort()
  return html`<div class="drop-slots" aria-hidden="true">${times.map(
    (t) => html`<span class="drop-slot" data-drop-day="${day}" data-drop-time="${t}">${t}</span>`,
  )}</div>`
}

function withdrawButton(quote: Quote, threadId?: string): SafeHtml {
  if (quote.consent.status === 'withdrawn') return html``
  const name = quote.organisation.short ?? quote.organisation.name
  return html`<button type="button" class="danger" data-action="withdraw" data-quote="${quote.id}"${threadId ? html` data-thread="${threadId}"` : ''} data-note data-confirm="Withdraw ${name}'s quote? Every queued post of it stops now, and the quote bank records consent as withdrawn.">Withdraw quote</button>`
}

/** "Approve" for a pending quote (in the list of quotes not in the calendar, and on its card). */
export function approveButton(quote: Quote): SafeHtml {
  if (quote.consent.status !== 'pending') return html``
  return html`<button type="button" data-action="approve" data-quote="${quote.id}" data-note data-confirm="Record that ${quote.organisation.short ?? quote.organisation.name} granted consent for this quote? The quote bank is changed to consent: granted.">Approve</button>`
}

/** Where a quote's notices appear: always rendered, so a message outlives the button (Approve goes once used). */
export const quoteNotice = (quoteId: string) =>
  html`<p class="notice" data-notice-for="quote-${quoteId}" role="status" aria-live="polite"></p>`

/** Withdraw and approve on a card of the gallery. */
export function consentControls(quote: Quote): SafeHtml {
  return html`<div class="controls">${withdrawButton(quote)}${approveButton(quote)}</div>${quoteNotice(quote.id)}`
}

export function changesPanel(changes: Change[], zone: string): SafeHtml {
  return html`<section id="changes" aria-labelledby="changes-h"><h2 id="changes-h">Recent changes</h2>
    ${
      changes.length === 0
        ? html`<p class="muted">No changes yet. Every change from this page or the command line is listed here and kept in <code>plan-changes.log</code> beside the plan.</p>`
        : html`<ol class="changes">${changes.map(
            (ch) =>
              html`<li><time datetime="${ch.at}">${shownAt(ch.at, zone)}</time> <strong>${who(ch)}</strong> ${ch.what}${
                ch.from || ch.to ? html`: ${ch.from ? `${ch.from} → ` : ''}${ch.to}` : ''
              }</li>`,
          )}</ol>`
    }</section>`
}

function shownAt(at: string, zone: string): string {
  const t = Date.parse(at)
  if (Number.isNaN(t)) return at
  return `${dayLabel(dayIn(new Date(t), zone))} ${localTime(new Date(t).toISOString(), zone)}`
}
