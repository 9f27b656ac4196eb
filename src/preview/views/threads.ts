import { threadIdFor } from '../../calendar/planner.ts'
import type { Campaign } from '../../campaign/schema.ts'
import { campaignPlatforms } from '../../campaign/schema.ts'
import { CARD_FORMATS } from '../../cards/index.ts'
import type { Platform, Quote } from '../../quotes/schema.ts'
import { composeThread } from '../../threads/compose.ts'
import type { ComposedThread, ThreadPart } from '../../threads/types.ts'
import { countFor, LIMITS, partWarnings } from '../counts.ts'
import { bdi, html, type SafeHtml } from '../html.ts'
import { type Available, attempt, type PreviewModel } from '../model.ts'
import { dayLabel, localTime } from '../time.ts'
import { PLATFORM_LABEL } from './calendar.ts'
import { altFor, cardImage } from './card-image.ts'
import { jumpList, notAvailable } from './layout.ts'

interface ThreadRef {
  threadId: string
  quote: Quote
  day: string
  at?: string
  platforms: Platform[]
}

// Links, #tags and @mentions shown as the platforms will show them; every piece is still escaped.
const TOKEN = /(https?:\/\/\S+|#[\p{L}\p{M}\p{N}_]+|@[\w.-]+\w)/u

function postText(text: string): SafeHtml {
  return html`${text.split(TOKEN).map((piece, i) => (i % 2 === 1 ? html`<span class="tok">${piece}</span>` : piece))}`
}

// @NOTE The preview composes with a stand-in image (no pixels): composing is pure and fast, while the
// real card is rendered lazily by /cards when the browser asks for the thumbnail.
function compose(ref: ThreadRef, c: Campaign, platform: Platform): Available<ComposedThread> {
  const alt = altFor(ref.quote, c)
  if (!alt.ok) return alt
  const { width, height } = CARD_FORMATS.landscape
  return attempt(() =>
    composeThread({
      quote: ref.quote,
      campaign: c,
      platform,
      day: ref.day,
      threadId: ref.threadId,
      card: { data: new Uint8Array(), mime: 'image/png', width, height, alt: alt.value },
    }),
  )
}

function post(part: ThreadPart, total: number, platform: Platform, ref: ThreadRef, c: Campaign): SafeHtml {
  const count = countFor(platform, part.text)
  const { max, unit } = LIMITS[platform]
  const warnings = partWarnings(platform, part, count)
  const account = c.platforms[platform]?.account ?? ''
  return html`<li class="post${warnings.length ? ' has-warning' : ''}">
    <p class="post-head"><span class="avatar" aria-hidden="true">${(account.replace(/^@/, '')[0] ?? '?').toUpperCase()}</span>
      <span class="acct">${bdi(account)}</span><span class="pos">${part.index + 1}/${total}</span></p>
    <p class="post-text" lang="${ref.quote.language}" dir="auto">${postText(part.text)}</p>
    ${part.image ? cardImage(ref.quote, c, 'landscape', { width: 480, height: 270 }, 'post-img') : ''}
    <p class="post-count ${count > max ? 'over' : 'ok'}"><meter min="0" max="${max}" high="${Math.round(max * 0.9)}" value="${Math.min(count, max)}"
      aria-hidden="true"></meter> ${count} / ${max} ${unit}</p>
    ${warnings.length ? html`<ul class="warnings">${warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ''}
  </li>`
}

interface Column {
  platform: Platform
  composed: Available<ComposedThread>
}

function warningCount(cols: Column[]): number {
  let n = 0
  for (const { platform, composed } of cols) {
    if (!composed.ok) continue
    for (const part of composed.value.parts)
      n += partWarnings(platform, part, countFor(platform, part.text)).length
  }
  return n
}

function column(ref: ThreadRef, c: Campaign, { platform, composed }: Column): SafeHtml {
  const label = PLATFORM_LABEL[platform]
  if (!composed.ok)
    return html`<div class="platform-col pf-${platform}"><h3>${label}</h3>${notAvailable(`${label} preview`, composed.reason)}</div>`
  const parts = composed.value.parts
  return html`<div class="platform-col pf-${platform}" data-platform="${platform}" data-posts="${parts.length}">
    <h3>${label} <span class="muted">· ${parts.length} post${parts.length === 1 ? '' : 's'}</span></h3>
    <ol class="posts">${parts.map((p) => post(p, parts.length, platform, ref, c))}</ol>
  </div>`
}

function threadRefs(model: PreviewModel, c: Campaign): ThreadRef[] {
  if (model.plan.ok) {
    return [...model.plan.value.plan.slots]
      .sort((a, b) => a.at.localeCompare(b.at))
      .flatMap((s) => {
        const quote = model.quoteById.get(s.quoteId)
        return quote ? [{ threadId: s.threadId, quote, day: s.day, at: s.at, platforms: s.platforms }] : []
      })
  }
  // No plan to read: still show every quote's thread, filed under the first day.
  const day = c.days[0]?.date ?? ''
  return model.quotes.map((quote) => ({
    threadId: threadIdFor(c, quote.id),
    quote,
    day,
    platforms: campaignPlatforms(c),
  }))
}

function threadWhen(r: ThreadRef, c: Campaign): string {
  return `${dayLabel(r.day)}${r.at ? ` ${localTime(r.at, c.timezone)}` : ''}`
}

const orgOf = (q: Quote) => q.organisation.short ?? q.organisation.name

function threadTitle(r: ThreadRef, c: Campaign): SafeHtml {
  return html`${threadWhen(r, c)} · ${bdi(orgOf(r.quote))}`
}

/** Threads a page: composing is this page's cost, and a coalition's year holds thousands of threads. */
export const THREADS_PER_PAGE = 50

/** Links to the pages before and after; nothing when every thread fits on one page. */
function pager(
  at: number,
  pages: number,
  shown: { from: number; to: number; of: number },
  label: string,
): SafeHtml {
  if (pages <= 1) return html``
  const link = (n: number, rel: 'prev' | 'next', text: string) =>
    html`<li><a class="pager-link" href="/threads?page=${n}" rel="${rel}">${text}</a></li>`
  return html`<nav class="pager" aria-label="${label}">
    <p class="pager-where" aria-current="page">Page ${at} of ${pages} · threads ${shown.from}–${shown.to} of ${shown.of}</p>
    <ul class="pager-links">${at > 1 ? link(at - 1, 'prev', '← Previous page') : ''}${at < pages ? link(at + 1, 'next', 'Next page →') : ''}</ul>
  </nav>`
}

/** The page asked for, within the pages there are (a page past the end shows the last). */
function pageIn(requested: number, pages: number): number {
  return Math.min(Math.max(1, Number.isFinite(requested) ? Math.trunc(requested) : 1), pages)
}

export function threadsBody(model: PreviewModel, requested = 1): SafeHtml {
  if (!model.campaign.ok) return notAvailable('Threads', model.campaign.reason)
  const c = model.campaign.value
  const refs = threadRefs(model, c)
  const pages = Math.max(1, Math.ceil(refs.length / THREADS_PER_PAGE))
  const at = pageIn(requested, pages)
  const start = (at - 1) * THREADS_PER_PAGE
  // Only this page's threads are composed.
  const threads = refs.slice(start, start + THREADS_PER_PAGE).map((ref) => {
    const cols = ref.platforms.map((platform) => ({ platform, composed: compose(ref, c, platform) }))
    return { ref, cols, warnings: warningCount(cols) }
  })
  const flagged = threads.filter((t) => t.warnings > 0).length
  const where = pages > 1 ? ' on this page' : ''
  const shown = { from: start + 1, to: start + threads.length, of: refs.length }
  return html`<h1>Thread previews</h1>
    <p class="lede">Each thread as it will look on X and on Bluesky, with the count the platform applies to
      every post (X: weighted characters, limit 280; Bluesky: graphemes, limit 300).
      <strong>${flagged === 0 ? `No post${where} needs a look.` : `${flagged} of ${threads.length} threads${where} need a look.`}</strong></p>
    ${model.plan.ok ? '' : notAvailable('Plan', `${model.plan.reason}; showing every quote instead`)}
    ${pager(at, pages, shown, 'Pages of threads')}
    ${jumpList(
      'Threads',
      threads.map((t) => ({
        href: `#${t.ref.threadId}`,
        text: threadTitle(t.ref, c),
        ...(t.warnings ? { flag: `${t.warnings} warning${t.warnings === 1 ? '' : 's'}` } : {}),
      })),
    )}
    ${threads.map(
      ({
        ref,
        cols,
      }) => html`<section class="thread" id="${ref.threadId}" aria-labelledby="${ref.threadId}-h">
        <h2 id="${ref.threadId}-h">${threadTitle(ref, c)} <code class="muted">${ref.quote.id}</code></h2>
        <div class="side-by-side">${cols.map((col) => column(ref, c, col))}</div>
      </section>`,
    )}
    ${pager(at, pages, shown, 'Pages of threads, at the end')}`
}
