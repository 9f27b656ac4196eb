import { z } from 'zod'
import { PLATFORMS, webUrl } from '../quotes/schema.ts'

const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:mm, e.g. 09:30')
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD')

export const campaignSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a campaign id is a lowercase slug like asp21'),
    name: z.string().min(1),
    hashtags: z.array(z.string().regex(/^#\w+$/u, 'a hashtag is # followed by letters or digits')).min(1),
    // IANA zone; every local time in the campaign and the plan is read in this zone.
    timezone: z.string().min(1),
    location: z.string().optional(),
    statement_url: webUrl,
    call_to_action: z.string().min(1).default('Read the Coalition’s recommendations'),
    days: z
      .array(
        z
          .object({
            date: isoDate,
            theme: z.string().optional(),
            // Quote themes that belong on this day (e.g. cooperation on the Cooperation day).
            themes: z.array(z.string()).default([]),
          })
          .strict(),
      )
      .min(1),
    windows: z.array(z.object({ start: localTime, end: localTime }).strict()).min(1),
    min_gap_minutes: z.number().int().min(0).default(60),
    max_threads_per_day: z.number().int().min(1).default(6),
    platforms: z
      .object({
        x: z
          .object({ account: z.string().min(1) })
          .strict()
          .optional(),
        bluesky: z
          .object({ account: z.string().min(1) })
          .strict()
          .optional(),
      })
      .strict(),
    // Optional 1/n numbering of thread parts.
    numbering: z.boolean().default(true),
  })
  .strict()

export type Campaign = z.infer<typeof campaignSchema>

export function campaignPlatforms(c: Campaign): (typeof PLATFORMS)[number][] {
  return PLATFORMS.filter((p) => c.platforms[p] !== undefined)
}
