// @NOTE The one place that says where a thread's card is: `ngovoices render` writes it there, the ICS/CSV
// exports and the plan name it.
export const CARD_DIR = 'out/cards'

export function cardPathFor(quoteId: string): string {
  return `${CARD_DIR}/${quoteId}.landscape.png`
}
