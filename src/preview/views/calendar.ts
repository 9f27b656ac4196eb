import type { Slot } from '../../calendar/types.ts'
import { planWarnings } from '../../calendar/warnings.ts'
import type { Campaign } from '../../campaign/schema.ts'
import type { Platform, Quote } from '../../quotes/schema.ts'
import type { BoardView } from '../board-routes.ts'
import { bdi, html, type SafeHtml, safeUrl } from '../html.ts'
import type { Available, PlanView, PreviewModel } from '../model.ts'
import { DISPLAY_STATUSES, postState, type QueueStates } from '../status.ts'
import { dayIn, dayLabel, dayZoneAbbreviation, isoInstant, localTime, zoneSummary } from '../time.ts'
import { approveButton, boardBar, changesPanel, dropSlots, quoteNotice, slotControls } from './board.ts'
import { cardImage } from './card-image.ts'
import { notAvailable } from './layout.ts'

export interface CalendarContext {
  now: Date
  graceMinutes: number
  /** Live post states from Redis, or why they are not shown. */
  queue: Available<QueueStates>
  queuesMounted: boolean
  /** Whether /plan.ics and /plan.csv can be produced, or why not. */
  exports: Available<true>
  /** The planning board's state; without it the calendar is read-only. */
  board?: BoardView
}

export const PLATFORM_LABEL: Record<Platform, string> = { x: 'X', bluesky: 'Bluesky' }

interface Band {
  label: string
  /** The hours under the name ('' when the name is the hours, or for slots outside every window). */
  range: string
  /** A campaign window: shown even when empty. */
  window?: true
  contains: (hhmm: string) => boolean
}

/** A window named by its hours: Morning before noon, Afternoon to 17:00, Evening after; Day when it spans noon. */
export function windowName(w: { start: string; end: string }): string {
  if (w.start >= '17:00') return 'Evening'
  if (w.start >= '12:00') return 'Afternoon'
  return w.end <= '13:00' ? 'Morning' : 'Day'
}

// @NOTE Rows are the campaign's posting windows (morning, afternoon…), so the grid reads like a paper
// week planner; a slot staff moved outside every window still shows, in its own row. Two windows with one name
// (two mornings) are named by their hours alone.
function bands(c: Campaign): Band[] {
  const names = c.windows.map(windowName)
  const list: Band[] = c.windows.map((w, i) => {
    const name = names[i] ?? 'Window'
    const shared = names.filter((n) => n === name).length > 1
    return {
      label: shared ? `${w.start}–${w.end}` : name,
      range: shared ? '' : `${w.start}–${w.end}`,
      window: true,
      contains: (t) => t >= w.start && t <= w.end,
    }
  })
  // Over the windows only: the band below asks this, and must not ask itself (endless recursion).
  const windows = [...list]
  const inAny = (t: string) => windows.some((b) => b.contains(t))
  list.push({ label: 'Outside the windows', range: '', contains: (t) => !inAny(t) })
  return list
}

function slotCard(slot: Slot, quote: Quote | undefined, c: Campaign, ctx: CalendarContext): SafeHtml {
  const queue = ctx.queue.ok ? ctx.queue.value : undefined
  const org = quote ? (quote.organisation.short ?? quote.organisation.name) : slot.quoteId
  const states = slot.platforms.map((p) => postState(slot, p, queue, ctx.now, ctx.graceMinutes))
  const statuses = states.map((s) => s.status)
  const movable = ctx.board && slot.status === 'planned' && !statuses.includes('posted')
  return html`<article class="slot${slot.status === 'cancelled' ? ' cancelled' : ''}" id="slot-${slot.threadId}" data-thread="${slot.threadId}" data-day="${slot.day}" data-time="${localTime(slot.at, c.timezone)}"${movable ? html` draggable="true"` : ''} aria-label="${localTime(slot.at, c.timezone)} ${org}">
    <p class="slot-head"><time datetime="${isoInstant(slot.at)}">${localTime(slot.at, c.timezone)}</time>
      ${slot.locked ? html`<span class="lock" title="Locked: re-planning keeps it here">locked</span>` : ''}</p>
    <p class="org" dir="auto" title="${quote?.organisation.name ?? ''}">${org}</p>
    ${
      quote
        ? html`<a class="thumb-link" href="/threads#${slot.threadId}">${cardImage(quote, c, 'landscape', { width: 320, height: 180 }, 'thumb')}</a>`
        : html`<p class="unavailable">Quote ${slot.quoteId} is not in the bank (or has an error)</p>`
    }
    <ul class="platforms">${slot.platforms.map((p, i) => {
      const s = states[i] ?? postState(slot, p, queue, ctx.now, ctx.graceMinutes)
      const url = safeUrl(s.url)
      return html`<li data-platform="${p}"><span class="pf">${PLATFORM_LABEL[p]}</span>
        <span class="badge st-${s.status}"${s.detail ? html` title="${s.detail}"` : ''}>${s.status}</span>
        ${url ? html`<a href="${url}" rel="noopener noreferrer">view post</a>` : ''}</li>`
    })}</ul>
    ${ctx.board ? slotControls(slot, quote, statuses, c) : ''}
  </article>`
}

function grid(view: PlanView, model: PreviewModel, c: Campaign, ctx: CalendarContext): SafeHtml {
  const days = c.days.map((d) => d.date)
  for (const s of view.plan.slots) if (!days.includes(s.day)) days.push(s.day)
  const rows = bands(c)
  const slots = [...view.plan.slots].sort((a, b) => a.at.localeCompare(b.at))
  const cell = (day: string, band: Band) =>
    slots.filter((s) => s.day === day && band.contains(localTime(s.at, c.timezone)))
  const theme = (day: string) => c.days.find((d) => d.date === day)?.theme
  const today = dayIn(ctx.now, c.timezone)
  const count = (day: string) => slots.filter((s) => s.day === day).length
  const zoneOn = (day: string) => dayZoneAbbreviation(day, c.timezone, c.windows[0]?.start)
  return html`<div class="week-scroll"><table class="week">
    <caption class="visually-hidden">Posting week: one column per session day, one row per posting window</caption>
    <thead><tr><td></td>${days.map(
      (
        d,
      ) => html`<th scope="col"${d === today ? html` class="today"` : ''}><span class="day">${dayLabel(d)}${d === today ? html` <span class="badge st-queued">today</span>` : ''}</span>
        <span class="zone" title="times this day are in ${c.timezone} ${zoneOn(d)}">${zoneOn(d)}</span>
        ${theme(d) ? html`<span class="theme">${bdi(theme(d))}</span>` : ''}
        <span class="theme">${count(d)} thread${count(d) === 1 ? '' : 's'}</span></th>`,
    )}</tr></thead>
    <tbody>${rows
      .filter((b) => b.window || days.some((d) => cell(d, b).length > 0))
      .map(
        (
          b,
        ) => html`<tr><th scope="row">${b.label}${b.range ? html`<span class="range">${b.range}</span>` : ''}</th>
          ${days.map((d) => {
            const here = cell(d, b)
            const drop = ctx.board && c.days.some((x) => x.date === d)
            return html`<td${drop ? html` data-drop-day="${d}"` : ''}>${here.length ? here.map((s) => slotCard(s, model.quoteById.get(s.quoteId), c, ctx)) : html`<span class="empty">—</span>`}${drop ? dropSlots(c, d, b.contains) : ''}</td>`
          })}</tr>`,
      )}</tbody>
  </table></div>`
}

function unplacedTable(view: PlanView, model: PreviewModel, ctx: CalendarContext): SafeHtml {
  if (view.plan.unplaced.length === 0) return html``
  const approve = (id: string) => {
    const quote = model.quoteById.get(id)
    return ctx.board ? html`${quote ? approveButton(quote) : ''}${quoteNotice(id)}` : ''
  }
  return html`<section aria-labelledby="unplaced-h">
    <h2 id="unplaced-h">Not in the calendar</h2>
    <table class="list">
      <thead><tr><th scope="col">Quote</th><th scope="col">Why</th></tr></thead>
      <tbody>${view.plan.unplaced.map((u) => html`<tr data-quote="${u.quoteId}"><td><code>${u.quoteId}</code></td><td>${u.reason} ${approve(u.quoteId)}</td></tr>`)}</tbody>
    </table>
  </section>`
}

function queuePanel(ctx: CalendarContext): SafeHtml {
  return html`<section id="queue" aria-labelledby="queue-h">
    <h2 id="queue-h">Queue</h2>
    ${
      ctx.queuesMounted
        ? html`<p>The queue dashboard (Bull Board) shows every scheduled post, its attempts and errors: <a href="/queues">open the queue dashboard</a>.</p>`
        : notAvailable(
            'Queue dashboard',
            'Redis is not reachable, so the queue cannot be shown. Start it with `docker compose up -d redis` and restart the preview.',
          )
    }
    ${ctx.queue.ok ? '' : notAvailable('Live post status', ctx.queue.reason)}
  </section>`
}

function downloads(ctx: CalendarContext): SafeHtml {
  return html`<section id="downloads" aria-labelledby="downloads-h">
    <h2 id="downloads-h">Download the plan</h2>
    ${
      ctx.exports.ok
        ? html`<ul class="downloads">
            <li><a href="/plan.ics" download>Calendar file (ICS)</a> for Outlook, Google or Apple Calendar</li>
            <li><a href="/plan.csv" download>Spreadsheet (CSV)</a></li></ul>`
        : notAvailable('Plan export', ctx.exports.reason)
    }
  </section>`
}

/** What `ngovoices plan` warns about (e.g. the X free tier's daily cap), shown where the plan is read. */
function planNotes(c: Campaign, view: PlanView, model: PreviewModel): SafeHtml {
  const quotes = new Map([...model.quoteById].map(([id, quote]) => [id, { quote }]))
  const notes = planWarnings(c, view.plan.slots, quotes)
  return notes.length ? html`<ul class="plan-notes">${notes.map((n) => html`<li>${n}</li>`)}</ul>` : html``
}

export function calendarBody(model: PreviewModel, ctx: CalendarContext): SafeHtml {
  if (!model.campaign.ok) return notAvailable('Calendar', model.campaign.reason)
  const c = model.campaign.value
  const plan = model.plan
  // The clocks may change during the week: the zone's abbreviation of each day, not of the first slot.
  const zones = zoneSummary(
    c.days.map((d) => ({
      day: d.date,
      abbreviation: dayZoneAbbreviation(d.date, c.timezone, c.windows[0]?.start),
    })),
  )
  return html`<section id="calendar" aria-labelledby="calendar-h"${plan.ok ? html` data-plan-version="${plan.value.version}"` : ''}><h1 id="calendar-h">Posting calendar</h1>
    ${
      plan.ok
        ? html`<p class="lede">${plan.value.plan.slots.length} threads over ${c.days.length} days, times in
            ${c.timezone}${zones ? ` (${zones})` : ''}.
            ${
              plan.value.source === 'file'
                ? html`From <code>plan.yaml</code>.`
                : html`<strong>Not saved yet:</strong> this is what <code>ngovoices plan</code> would write.`
            }</p>
          ${planNotes(c, plan.value, model)}
          ${ctx.board ? boardBar(ctx.board) : ''}
          <ul class="legend" aria-label="Status legend">${DISPLAY_STATUSES.map((s) => html`<li><span class="badge st-${s}">${s}</span></li>`)}</ul>
          ${grid(plan.value, model, c, ctx)}
</section>
          ${unplacedTable(plan.value, model, ctx)}
          ${ctx.board ? changesPanel(ctx.board.changes, c.timezone) : ''}`
        : html`${notAvailable('Calendar', plan.reason)}</section>`
    }
    ${queuePanel(ctx)}
    ${downloads(ctx)}`
}
