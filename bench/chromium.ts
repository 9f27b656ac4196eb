import { chromium } from 'playwright-core'
import { median } from './measure.ts'

// The browser a user might reach for instead: Debian's headless Chromium through playwright-core, given each
// card's SVG (satori's layout, so Chromium skips the layout step ours pays for) and asked for a PNG of it.
// Two recipes: one warm page captured over CDP with optimizeForSpeed, and a new page per card.

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export interface BrowserCard {
  svg: string
  width: number
  height: number
}

export interface ChromiumTimes {
  /** Median ms a card, warm page + CDP capture. */
  warmPage: number
  /** Median ms a card, a new page each. */
  newPage: number
  /** Bytes of the PNGs, summed over one round (to compare file sizes). */
  warmBytes: number
  version: string
}

const page = (svg: string) => `<!doctype html><body style="margin:0">${svg}</body>`

export async function raceChromium(cards: BrowserCard[], rounds: number): Promise<ChromiumTimes> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS })
  try {
    const version = browser.version()
    // Warm page: one page for all cards, the content swapped in, captured over CDP.
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } })
    const warm = await context.newPage()
    const cdp = await context.newCDPSession(warm)
    await warm.setContent(page(''))
    const warmTimes: number[] = []
    let warmBytes = 0
    const capture = async (c: BrowserCard) => {
      const size = warm.viewportSize()
      if (size?.width !== c.width || size.height !== c.height)
        await warm.setViewportSize({ width: c.width, height: c.height })
      await warm.evaluate((svg) => {
        document.body.innerHTML = svg
      }, c.svg)
      const shot = (await cdp.send('Page.captureScreenshot', {
        format: 'png',
        optimizeForSpeed: true,
        clip: { x: 0, y: 0, width: c.width, height: c.height, scale: 1 },
      })) as { data: string }
      return Buffer.from(shot.data, 'base64')
    }
    for (const c of cards) await capture(c)
    for (let r = 0; r < rounds; r++) {
      for (const c of cards) {
        const t0 = performance.now()
        const png = await capture(c)
        warmTimes.push(performance.now() - t0)
        if (r === 0) warmBytes += png.length
      }
    }
    await context.close()
    // A new page per card: what a script that opens a page, sets the content and screenshots it does.
    const newTimes: number[] = []
    for (const c of cards) {
      const t0 = performance.now()
      const p = await browser.newPage({ viewport: { width: c.width, height: c.height } })
      await p.setContent(page(c.svg))
      await p.screenshot({ type: 'png' })
      await p.close()
      newTimes.push(performance.now() - t0)
    }
    return { warmPage: median(warmTimes), newPage: median(newTimes), warmBytes, version }
  } finally {
    await browser.close()
  }
}
