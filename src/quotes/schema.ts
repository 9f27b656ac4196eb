import * as z from 'zod'

// @NOTE The quote bank is the one place comms staff type by hand, so the schema is strict:
// unknown keys are errors (a typo like `speakr` must not silently drop a field).

const CONSENT_STATUSES = ['granted', 'pending', 'withdrawn'] as const
export const PLATFORMS = ['x', 'bluesky'] as const
export type Platform = (typeof PLATFORMS)[number]

const handleX = z
  .string()
  .regex(/^@[A-Za-z0-9_]{1,15}$/, 'an X handle is @ followed by 1–15 letters, digits or _')
const handleBluesky = z
  .string()
  .regex(
    /^@?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/i,
    'a Bluesky handle is a domain name such as ajar.bsky.social',
  )

/** A link people will open from a post or the page: http(s) only (no javascript:, data:, file:). */
export const webUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'a link must start with https:// (or http://)')

const speakerSchema = z
  .object({
    name: z.string().min(1).optional(),
    role: z.string().min(1).optional(),
    // A victim or survivor: shown as the source shows them, never with more detail.
    victim: z.boolean().default(false),
    // Anonymous speakers are shown by role only ("A Rohingya victim"); the name never leaves the bank.
    anonymous: z.boolean().default(false),
  })
  .strict()

const organisationSchema = z
  .object({
    name: z.string().min(1),
    short: z.string().min(1).optional(),
    handles: z.object({ x: handleX.optional(), bluesky: handleBluesky.optional() }).strict().default({}),
  })
  .strict()

export const quoteSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'an id is a lowercase slug like ajar-myanmar-1'),
    text: z.string().trim().min(1, 'the quote text is empty'),
    // A shorter version for the card only, with left-out words marked […]; threads carry the full text.
    excerpt: z.string().trim().min(1).optional(),
    language: z.string().min(2),
    speaker: speakerSchema.optional(),
    organisation: organisationSchema,
    situation: z.string().min(1).optional(),
    themes: z.array(z.string().min(1)).default([]),
    source: z
      .object({
        title: z.string().min(1),
        url: webUrl.optional(),
        date: z.string().optional(),
      })
      .strict(),
    consent: z.object({ status: z.enum(CONSENT_STATUSES), note: z.string().optional() }).strict(),
    embargo_until: z.string().optional(),
    // 1 (low) … 5 (high); higher priority gets earlier days and better hours.
    priority: z.number().int().min(1).max(5).default(3),
    // A session day (YYYY-MM-DD) or a local slot (YYYY-MM-DDTHH:mm) in the campaign's time zone.
    pin: z.string().optional(),
    alt_text: z.string().min(1).optional(),
    // Set when a person must finish the quote (e.g. cut off in the source): never scheduled while set.
    incomplete: z.string().min(1).optional(),
  })
  .strict()

export type Quote = z.infer<typeof quoteSchema>
export type QuoteInput = z.input<typeof quoteSchema>
