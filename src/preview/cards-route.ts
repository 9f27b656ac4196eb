import type { Hono } from 'hono'
import type { Logger } from 'pino'
import { CARD_FORMATS, type CardFormat, isCardFormat } from '../cards/index.ts'
import { cardPool } from '../cards/render-pool.ts'
import { escapeHtml } from './html.ts'
import type { LiveModel } from './live-model.ts'

// @NOTE Cards are rendered when the browser asks for one (images are loading="lazy") by the process's card
// pool: one thread, so a gallery of 30 cards does not take both cores nor stall the page's event loop; the
// cache makes the second look instant.

/** Shown in place of a card that failed to render: the page stays readable and says so. */
function placeholder(format: CardFormat, message: string): string {
  const { width, height } = CARD_FORMATS[format]
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<rect width="100%" height="100%" fill="#f3f1ec"/><text x="50%" y="50%" text-anchor="middle" font-family="sans-serif"
font-size="${Math.round(width / 30)}" fill="#8a3b12">Card could not be rendered: ${escapeHtml(message.slice(0, 80))}</text></svg>`
}

export function mountCards(app: Hono, live: LiveModel, cacheDir: string, log?: Logger): void {
  app.get('/cards/:id/:file', async (c) => {
    const model = live.current
    const format = c.req.param('file').replace(/\.png$/, '')
    const quote = model.quoteById.get(c.req.param('id'))
    if (!quote || !isCardFormat(format) || !model.campaign.ok) return c.text('No such card', 404)
    const campaign = model.campaign.value
    try {
      const card = await cardPool().render({ quote, campaign, format, cacheDir })
      c.header('Content-Type', card.mime)
      c.header('Cache-Control', 'private, max-age=300')
      c.header('ETag', `"${card.key}"`)
      return c.body(Buffer.from(card.data))
    } catch (err) {
      log?.warn({ err, quote: quote.id, format }, 'preview: card render failed')
      c.header('Content-Type', 'image/svg+xml')
      c.header('Cache-Control', 'no-store')
      return c.body(placeholder(format, err instanceof Error ? err.message : String(err)))
    }
  })
}
