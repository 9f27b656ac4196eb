import { DateTime } from 'luxon'
import { isValidZone } from '../core/time.ts'
import type { Finding } from '../quotes/finding.ts'
import type { Campaign } from './schema.ts'

// @NOTE Rules on a campaign the schema cannot express; any of them makes the campaign unusable.

/** Why the hashtags do not fit a card's footer, or undefined (measured with the card fonts: cards/footer.ts). */
export type FooterCheck = (c: Campaign) => string | undefined

export function campaignFindings(c: Campaign, footerOverflow?: FooterCheck): Finding[] {
  const out: Finding[] = []
  if (!isValidZone(c.timezone)) {
    out.push({
      path: ['timezone'],
      message: `timezone "${c.timezone}" is not an IANA time zone`,
      fix: 'write a zone such as Europe/Amsterdam, America/New_York or Africa/Nairobi',
      severity: 'error',
    })
  }
  const seen = new Map<string, number>()
  c.days.forEach((d, i) => {
    if (!DateTime.fromISO(d.date).isValid) {
      out.push({
        path: ['days', i, 'date'],
        message: `day ${d.date} is not a date in the calendar`,
        fix: 'write a real date as YYYY-MM-DD',
        severity: 'error',
      })
      return
    }
    const before = c.days[i - 1]?.date
    if (seen.has(d.date)) {
      out.push({
        path: ['days', i, 'date'],
        message: `day ${d.date} is listed twice (also day ${(seen.get(d.date) ?? 0) + 1})`,
        fix: 'remove one of them; each session day appears once',
        severity: 'error',
      })
    } else if (before !== undefined && d.date < before) {
      out.push({
        path: ['days', i, 'date'],
        message: `days are out of order: ${d.date} comes after ${before}`,
        fix: 'list the session days in calendar order',
        severity: 'error',
      })
    }
    seen.set(d.date, i)
  })
  c.windows.forEach((w, i) => {
    const before = c.windows[i - 1]
    if (w.start >= w.end) {
      out.push({
        path: ['windows', i, 'end'],
        message: `posting window ends (${w.end}) before it starts (${w.start})`,
        fix: 'give each window a start earlier than its end, within one day',
        severity: 'error',
      })
    } else if (before && w.start < before.end) {
      out.push({
        path: ['windows', i, 'start'],
        message: `posting window ${w.start}–${w.end} starts before the one above it ends (${before.end})`,
        fix: 'list the windows in the order of the day, without overlaps',
        severity: 'error',
      })
    }
  })
  const footer = footerOverflow?.(c)
  if (footer) {
    out.push({
      path: ['hashtags'],
      message: footer,
      fix: 'use fewer or shorter hashtags; every post and card carries them all',
      severity: 'error',
    })
  }
  const tags = c.hashtags.map((h) => h.toLowerCase())
  tags.forEach((t, i) => {
    if (tags.indexOf(t) !== i) {
      out.push({
        path: ['hashtags', i],
        message: `hashtag ${c.hashtags[i]} is listed twice`,
        fix: 'remove one: each post would carry it twice',
        severity: 'error',
      })
    }
  })
  return out
}
