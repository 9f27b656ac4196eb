import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import sharp from 'sharp'
import { renderCard } from '../../src/cards/index.ts'
import { referenceCards } from './references.ts'

// @NOTE `npx tsx test/cards/update-references.ts`: re-draws the reference renderings after an intended change to
// what a card looks like (look at them before committing). Stored at zlib level 9: the bytes are the repo's cost.

for (const card of await referenceCards()) {
  const { data } = await renderCard(card.quote, card.campaign, card.format)
  await mkdir(dirname(card.file), { recursive: true })
  await writeFile(card.file, await sharp(data).png({ compressionLevel: 9 }).toBuffer())
  process.stdout.write(`${card.file}\n`)
}
