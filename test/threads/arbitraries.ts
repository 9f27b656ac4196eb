import fc from 'fast-check'

// Text the way quote banks and the world write it: Latin words with punctuation, URLs, emoji sequences, CJK and
// Burmese runs with no spaces, Arabic words, and now and then a "word" no post can hold.

const latin = fc.constantFrom(
  'justice',
  'ICC',
  'victims',
  'Court',
  'accountability',
  'States',
  'l’Assemblée',
  'naïve',
)
const punct = fc.constantFrom('', '', '', '.', ',', ';', ':', '!', '?', '—', '…', '.”', '),')
const url = fc.webUrl({ withQueryParameters: true, withFragments: true })
const emoji = fc.constantFrom('🙂', '👍🏽', '👨‍👩‍👧‍👦', '🇳🇱', '🏳️‍🌈', '❤️', '🕊️')
const cjk = fc
  .array(
    fc.constantFrom(
      '正義',
      'が',
      '遅れる',
      'の',
      'は',
      '否定',
      'される',
      '。',
      '、',
      '国际',
      '刑事',
      '法院',
      '정의',
      '。',
    ),
    {
      minLength: 1,
      maxLength: 120,
    },
  )
  .map((a) => a.join(''))
const arabic = fc.constantFrom('العدالة', 'في', 'لاهاي', 'للضحايا', 'المحكمة', '،', 'الجنائية؟')
const burmese = fc
  .array(fc.constantFrom('တရား', 'မျှတ', 'မှု', 'ရိုဟင်ဂျာ', 'ကို', 'မြန်မာ', 'စစ်တပ်', '။', '၊'), {
    minLength: 1,
    maxLength: 200,
  })
  .map((a) => a.join(''))
const giant = fc
  .string({ unit: 'grapheme-ascii', minLength: 250, maxLength: 700 })
  .map((s) => s.replace(/\s/g, 'x'))

const word = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(latin, punct).map(([w, p]) => w + p) },
  { weight: 2, arbitrary: url },
  { weight: 2, arbitrary: emoji },
  { weight: 2, arbitrary: cjk },
  { weight: 3, arbitrary: arabic },
  { weight: 2, arbitrary: burmese },
  { weight: 1, arbitrary: giant },
)

export const quoteText = fc
  .array(fc.tuple(word, fc.constantFrom(' ', ' ', ' ', '  ', '\n')), { minLength: 1, maxLength: 160 })
  .map((ws) =>
    ws
      .map(([w, s]) => w + s)
      .join('')
      .trim(),
  )
  .filter((s) => s.length > 0)
