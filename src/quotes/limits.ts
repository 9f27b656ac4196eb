export const MAX_CARD_CHARS = 400
export const MAX_TEXT_CHARS = 2000
/** X's limit on an image description; Bluesky takes more, so the shorter one holds for every post. */
export const MAX_ALT_CHARS = 1000
