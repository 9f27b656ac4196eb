import * as z from 'zod'
import { PLATFORMS, webUrl } from '../quotes/schema.ts'

const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:mm, e.g. 09:30')
const HASHTAG_RULE =
  'a hashtag is # followed by letters (of any script), digits or _, with at least one letter, e.g. #ASP21 or #العدالة_الدولية'
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD')

export const campaignSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a campaign id is a lowercase slug like asp21'),
    name: z.string().min(1),
    // Letters and marks of any script ("#العدالة_الدولية", "#CPIÉquité"), digits and _: what X and Bluesky tag.
    hashtags: z
      .array(z.string().regex(/^#[\p{L}\p{M}\p{N}_]*[\p{L}\p{M}_][\p{L}\p{M}\p{N}_]*$/u, HASHTAG_RULE))
      .min(1),
    // The campaign's own language (BCP 47): a plain `call_to_action` is written in it.
    language: z.string().min(2).default('en'),
    // IANA zone; every local time in the campaign and the plan is read in this zone.
    timezone: z.string().min(1),
    location: z.string().optional(),
    statement_url: webUrl,
    // One text in the campaign's language, or one per language ({ en: …, fr: …, ar: … }); a quote in a language
    // the campaign does not cover gets the built-in one of its language (src/cards/wording.ts).
    call_to_action: z.union([z.string().min(1), z.record(z.string().min(2), z.string().min(1))]).optional(),
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
