import { CARD_FORMATS, type CardFormat, MAX_ALT_CHARS } from '../../cards/index.ts'
import type { Quote } from '../../quotes/schema.ts'
import { bdi, html, type SafeHtml } from '../html.ts'
import type { PreviewModel } from '../model.ts'
import { consentControls } from './board.ts'
import { altFor, cardImage } from './card-image.ts'
import { jumpList, notAvailable } from './layout.ts'

function speakerLine(q: Quote): SafeHtml {
  const who = q.speaker?.anonymous ? q.speaker.role : (q.speaker?.name ?? q.speaker?.role)
  return html`${who ? html`${bdi(who)}, ` : ''}${bdi(q.organisation.name)}`
}

function consentNote(q: Quote): SafeHtml {
  if (q.incomplete) return html`<span class="badge st-failed">incomplete: ${bdi(q.incomplete)}</span>`
  if (q.consent.status !== 'granted')
    return html`<span class="badge st-missed">consent ${q.consent.status}: never scheduled</span>`
  return html`<span class="badge st-posted">consent granted</span>`
}

export function galleryBody(model: PreviewModel): SafeHtml {
  if (!model.campaign.ok) return notAvailable('Cards', model.campaign.reason)
  const c = model.campaign.value
  const formats = Object.keys(CARD_FORMATS) as CardFormat[]
  return html`<h1>Card gallery</h1>
    <p class="lede">${model.quotes.length} quotes, each in ${formats.length} formats
      (${formats.map((f) => `${f} ${CARD_FORMATS[f].width}×${CARD_FORMATS[f].height}`).join(', ')}).
      Under the cards is their alt text, what screen readers read aloud instead of the image.</p>
    ${jumpList(
      'Quotes',
      model.quotes.map((q) => ({
        href: `#q-${q.id}`,
        text: bdi(q.organisation.short ?? q.organisation.name),
        ...(q.consent.status === 'granted' && !q.incomplete ? {} : { flag: 'not scheduled' }),
      })),
    )}
    ${model.quotes.map((q) => {
      const alt = altFor(q, c)
      const at = model.locations.get(q.id)
      // Named by speaker and quote id: one organisation's quotes would otherwise share a name.
      return html`<section class="quote" id="q-${q.id}" aria-labelledby="q-${q.id}-h q-${q.id}-id">
        <h2 id="q-${q.id}-h">${speakerLine(q)}</h2>
        <p class="quote-meta"><code id="q-${q.id}-id">${q.id}</code>${at ? html` · <code>${at.file}:${at.line}</code>` : ''} · ${consentNote(q)}</p>
        ${consentControls(q)}
        <div class="formats">${formats.map((f) => {
          const size = CARD_FORMATS[f]
          return html`<figure class="card-figure fmt-${f}">
            ${cardImage(q, c, f, size, 'card')}
            <figcaption><span class="fmt">${f} · ${size.width}×${size.height}</span></figcaption>
          </figure>`
        })}</div>
        ${
          alt.ok
            ? html`<div class="alt"><p class="alt-label">Alt text, the same on all three cards <span class="muted">(${alt.value.length} / ${MAX_ALT_CHARS} characters)</span>
                ${alt.value.length > MAX_ALT_CHARS ? html`<span class="warn">too long for X</span>` : ''}</p>
                <p class="alt-text" lang="${q.language}" dir="auto">${alt.value}</p></div>`
            : notAvailable('Alt text', alt.reason)
        }
      </section>`
    })}`
}
