export const MAX_CARD_CHARS = 400
export const MAX_TEXT_CHARS = 2000
