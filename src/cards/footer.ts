import type { Campaign } from '../campaign/schema.ts'
import { GEOMETRY, type Geometry } from './geometry.ts'
import { widthEm } from './text.ts'

// @NOTE Every card's footer holds the campaign's hashtags and the statement's site on one line. A campaign
// with too many or too long hashtags would push the site off the card, so `validate` refuses it up front,
// with the numbers, instead of the renderer clipping it.

/** How the footer joins the hashtags, and the least space kept between them and the site name (px). */
export const HASHTAG_SEPARATOR = '  '
const MIN_GAP = 32
/** Nominal advances run a little short of what satori lays out: keep this much in reserve. */
const WIDTH_MARGIN = 0.97

export const footerSizes = (g: Geometry) => ({ hashtags: g.small + 2, site: g.small })

/** The statement's site as the card shows it: the host name without "www.". */
export function cardSite(campaign: Campaign): string {
  return new URL(campaign.statement_url).hostname.replace(/^www\./, '')
}

const checked = new WeakMap<Campaign, string | undefined>()

/**
 * Why the footer cannot hold the hashtags and the site on one line in some format, or undefined. Once per
 * campaign: the renderer asks for every card.
 */
export function footerOverflow(campaign: Campaign): string | undefined {
  if (!checked.has(campaign)) checked.set(campaign, measure(campaign))
  return checked.get(campaign)
}

function measure(campaign: Campaign): string | undefined {
  const tags = campaign.hashtags.join(HASHTAG_SEPARATOR)
  const site = cardSite(campaign)
  for (const [format, g] of Object.entries(GEOMETRY)) {
    const size = footerSizes(g)
    const need =
      widthEm(tags, { role: 'sans', weight: 700 }) * size.hashtags +
      MIN_GAP +
      widthEm(site, { role: 'sans', weight: 400 }) * size.site
    const room = (g.width - 2 * g.padX) * WIDTH_MARGIN
    if (need > room) {
      return `the hashtags and "${site}" need ${Math.ceil(need)} px on one line of the ${format} card's footer, which has ${Math.floor(room)} px`
    }
  }
  return undefined
}
