import { relative } from 'node:path'
import type { Problem } from '../../core/problem.ts'
import { bdi, html, SafeHtml } from '../html.ts'
import type { PreviewModel } from '../model.ts'
import { clockIn } from '../time.ts'

export type PageId = 'calendar' | 'cards' | 'threads'

const NAV: { id: PageId; href: string; label: string }[] = [
  { id: 'calendar', href: '/', label: 'Calendar' },
  { id: 'cards', href: '/cards', label: 'Cards' },
  { id: 'threads', href: '/threads', label: 'Threads' },
]

export interface Chrome {
  queuesMounted: boolean
  /** The anti-forgery token every write from the page's script sends back (X-CSRF-Token). */
  csrf: string
}

// A long list (a whole file broken) would push the page off screen: the first few show, the rest fold.
const SHOWN_PROBLEMS = 6

function problemRow(p: Problem): SafeHtml {
  return html`<tr class="${p.severity}">
    <td><code>${p.file}${p.line > 0 ? `:${p.line}:${p.col}` : ''}</code></td>
    <td dir="auto"><span class="sev">${p.severity}</span> ${p.message}${p.quoteId ? html` <span class="muted">(quote ${p.quoteId})</span>` : ''}</td>
    <td dir="auto">${p.fix}</td></tr>`
}

function problemTable(problems: Problem[]): SafeHtml {
  return html`<table>
    <thead><tr><th scope="col">Where</th><th scope="col">Problem</th><th scope="col">How to fix it</th></tr></thead>
    <tbody>${problems.map(problemRow)}</tbody>
  </table>`
}

function problemList(problems: Problem[]): SafeHtml {
  if (problems.length === 0) return html``
  const errors = problems.filter((p) => p.severity === 'error').length
  const warnings = problems.length - errors
  const rest = problems.slice(SHOWN_PROBLEMS)
  // Only errors interrupt a screen reader; warnings (e.g. consent pending) are there to read when wanted.
  return html`<section class="problems${errors === 0 ? ' only-warnings' : ''}" aria-labelledby="problems-h"${errors > 0 ? html` role="alert"` : ''}>
    <h2 id="problems-h">${errors > 0 ? 'Problems in the input files' : 'To check in the input files'}
      <span class="count">${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}</span></h2>
    <p>A quote with an error is left out of the calendar until its file is fixed; this page updates when you save.</p>
    ${problemTable(problems.slice(0, SHOWN_PROBLEMS))}
    ${rest.length ? html`<details><summary>Show ${rest.length} more</summary>${problemTable(rest)}</details>` : ''}
  </section>`
}

/**
 * The part the live update swaps: everything inside <main>. The page's h1 comes first (screen readers jump to
 * it, and a page that starts at h2 reads as missing its title), then the problems, then the rest of the page.
 */
function mainContent(model: PreviewModel, body: SafeHtml): SafeHtml {
  const problems = problemList(model.problems)
  const end = body.value.indexOf('</h1>') + '</h1>'.length
  if (end < '</h1>'.length) return html`${problems}${body}`
  return new SafeHtml(`${body.value.slice(0, end)}${problems.value}${body.value.slice(end)}`)
}

export function page(
  model: PreviewModel,
  current: PageId,
  title: string,
  body: SafeHtml,
  chrome: Chrome,
): SafeHtml {
  const c = model.campaign.ok ? model.campaign.value : undefined
  const zone = c?.timezone ?? 'UTC'
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${chrome.csrf}">
<title>${title} · ${c?.name ?? 'ngovoices preview'}</title>
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/preview.css">
<script src="/assets/preview.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <div class="brand">
    <p class="app">ngovoices preview</p>
    <p class="campaign">${c ? bdi(c.name) : 'No campaign loaded'}</p>
    ${c ? html`<p class="meta">${bdi(c.hashtags.join(' '))} · times in <strong>${zone}</strong> · ${relative(process.cwd(), model.dir) || '.'}</p>` : ''}
  </div>
  <nav aria-label="Sections">
    <ul>
      ${NAV.map(
        (n) =>
          html`<li><a href="${n.href}"${n.id === current ? html` aria-current="page"` : ''}>${n.label}</a></li>`,
      )}
      <li>${chrome.queuesMounted ? html`<a href="/queues">Queue</a>` : html`<a href="/#queue">Queue</a>`}</li>
    </ul>
  </nav>
  <p id="live" class="live" role="status" aria-live="polite">Up to date · loaded ${clockIn(model.loadedAt, zone)}</p>
</header>
<main id="main" tabindex="-1" data-version="${model.version}">
${mainContent(model, body)}
</main>
</body>
</html>`
}

/** A panel whose data cannot be shown: says why, instead of breaking the page. */
export function notAvailable(what: string, reason: string): SafeHtml {
  return html`<p class="unavailable"><strong>${what}:</strong> ${reason}</p>`
}

/** In-page links to every item of a long page, for keyboard and screen-reader users as much as anyone. */
export function jumpList(
  label: string,
  items: { href: string; text: string | SafeHtml; flag?: string }[],
): SafeHtml {
  if (items.length < 2) return html``
  return html`<nav class="jump" aria-label="${label} on this page"><ul class="jump-list">${items.map(
    (i) =>
      html`<li><a href="${i.href}">${i.text}</a>${i.flag ? html` <span class="warn">${i.flag}</span>` : ''}</li>`,
  )}</ul></nav>`
}
