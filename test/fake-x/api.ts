import type { FilePart } from './multipart.ts'

// The X API v2 endpoints the publisher uses, as state changes: what the fake server does once a request has
// passed the signature check and the scripted faults.

export interface FakeTweet {
  id: string
  text: string
  authorId: string
  inReplyTo?: string
  mediaIds: string[]
  createdAt: string
}

export interface FakeMedia {
  id: string
  mediaType: string
  totalBytes: number
  received: number
  segments: number[]
  bytes: Buffer[]
  finalized: boolean
  alt?: string
}

export interface ApiState {
  user: { id: string; username: string; name: string }
  tweets: FakeTweet[]
  media: Map<string, FakeMedia>
  newId: () => string
}

export const DUPLICATE = {
  detail: 'You are not allowed to create a Tweet with duplicate content.',
  type: 'about:blank',
  title: 'Forbidden',
  status: 403,
}

const URL_RE = /https?:\/\/[^\s]+/g

/** The text as X returns it: links wrapped in t.co, &, < and > escaped, the media link appended. */
function displayed(t: FakeTweet): { text: string; urls: object[] } {
  const urls: object[] = []
  let n = 0
  const tco = () => `https://t.co/${t.id.slice(-6)}${String(n++).padStart(4, '0')}`
  let text = t.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  text = text.replace(URL_RE, (u) => {
    const url = tco()
    urls.push({
      url,
      expanded_url: u.replace(/&amp;/g, '&'),
      display_url: u.replace(/^https?:\/\//, '').slice(0, 25),
    })
    return url
  })
  for (const m of t.mediaIds) {
    const url = tco()
    text += ` ${url}`
    urls.push({ url, expanded_url: `https://x.com/i/status/${t.id}/photo/1`, media_key: `3_${m}` })
  }
  return { text, urls }
}

type Reply = [number, unknown]
type Body = Record<string, unknown>

/** The API itself: returns [status, body] after doing the work. */
export function handle(
  state: ApiState,
  method: string,
  path: string,
  query: URLSearchParams,
  body: unknown,
): Reply {
  const b = (body ?? {}) as Body
  const upload = method === 'POST' ? /^\/2\/media\/upload\/(\d+)\/(append|finalize)$/.exec(path) : null
  const timeline = method === 'GET' ? /^\/2\/users\/(\d+)\/tweets$/.exec(path) : null
  if (method === 'GET' && path === '/2/users/me') return [200, { data: state.user }]
  if (method === 'POST' && path === '/2/media/upload/initialize') return initializeUpload(state, b)
  if (upload) return uploadStep(state, upload[1] ?? '', upload[2], b)
  if (method === 'POST' && path === '/2/media/metadata') return setMetadata(state, b)
  if (method === 'POST' && path === '/2/tweets') return createTweet(state, b)
  if (timeline) return timelinePage(state, timeline[1], query)
  return [404, { title: 'Not Found Error', detail: `no route ${method} ${path}`, status: 404 }]
}

function initializeUpload({ media, newId }: ApiState, b: Body): Reply {
  const id = newId()
  media.set(id, {
    id,
    mediaType: String(b.media_type),
    totalBytes: Number(b.total_bytes),
    received: 0,
    segments: [],
    bytes: [],
    finalized: false,
  })
  return [200, { data: { id, media_key: `3_${id}`, expires_after_secs: 86400 } }]
}

/** APPEND a segment, or FINALIZE once every byte has come. */
function uploadStep({ media }: ApiState, id: string, step: string | undefined, b: Body): Reply {
  const item = media.get(id)
  if (!item) return [400, { title: 'Invalid Request', detail: 'unknown media id', status: 400 }]
  if (step === 'append') {
    const file = b.media as FilePart | undefined
    item.received += file?.size ?? 0
    if (file) item.bytes.push(file.bytes)
    item.segments.push(Number(b.segment_index))
    return [200, {}]
  }
  if (item.received !== item.totalBytes)
    return [
      400,
      {
        title: 'Invalid Request',
        detail: `got ${item.received} of ${item.totalBytes} bytes`,
        status: 400,
      },
    ]
  item.finalized = true
  return [
    200,
    {
      data: { id: item.id, media_key: `3_${item.id}`, size: item.totalBytes, expires_after_secs: 86400 },
    },
  ]
}

function setMetadata({ media }: ApiState, b: Body): Reply {
  const item = media.get(String(b.id))
  const alt = (b.metadata as { alt_text?: { text?: string } } | undefined)?.alt_text?.text
  if (!item?.finalized || !alt)
    return [400, { title: 'Invalid Request', detail: 'bad metadata', status: 400 }]
  item.alt = alt
  return [200, { data: { id: item.id, associated_metadata: { alt_text: { text: alt } } } }]
}

function createTweet({ user, media, tweets, newId }: ApiState, b: Body): Reply {
  const text = String(b.text ?? '')
  const ids = ((b.media as { media_ids?: string[] } | undefined)?.media_ids ?? []).map(String)
  const parent = (b.reply as { in_reply_to_tweet_id?: string } | undefined)?.in_reply_to_tweet_id
  if (ids.some((id) => !media.get(id)?.finalized))
    return [400, { title: 'Invalid Request', detail: 'media not uploaded', status: 400 }]
  if (parent && !tweets.some((t) => t.id === parent))
    return [403, { title: 'Forbidden', detail: 'the post you are replying to does not exist', status: 403 }]
  if (tweets.some((t) => t.authorId === user.id && t.text === text)) return [403, DUPLICATE]
  const t: FakeTweet = {
    id: newId(),
    text,
    authorId: user.id,
    mediaIds: ids,
    createdAt: new Date().toISOString(),
    ...(parent ? { inReplyTo: parent } : {}),
  }
  tweets.push(t)
  return [201, { data: { id: t.id, text, edit_history_tweet_ids: [t.id] } }]
}

/** A user's timeline as X gives it: newest first, from start_time on, a page at a time (next_token / pagination_token). */
function timelinePage({ tweets }: ApiState, userId: string | undefined, query: URLSearchParams): Reply {
  const max = Number(query.get('max_results') ?? 10)
  if (!(max >= 5 && max <= 100))
    return [400, { title: 'Invalid Request', detail: 'max_results', status: 400 }]
  const fields = (query.get('tweet.fields') ?? '').split(',')
  const start = query.get('start_time')
  const from = Number(query.get('pagination_token') ?? 0)
  const all = tweets.filter((t) => t.authorId === userId && (!start || t.createdAt >= start)).reverse()
  const own = all.slice(from, from + max)
  const next = from + max < all.length ? { next_token: String(from + max) } : {}
  const data = own.map((t) => {
    const shown = displayed(t)
    return {
      id: t.id,
      text: shown.text,
      edit_history_tweet_ids: [t.id],
      ...(fields.includes('created_at') ? { created_at: t.createdAt } : {}),
      ...(fields.includes('entities') && shown.urls.length ? { entities: { urls: shown.urls } } : {}),
      ...(fields.includes('referenced_tweets') && t.inReplyTo
        ? { referenced_tweets: [{ type: 'replied_to', id: t.inReplyTo }] }
        : {}),
    }
  })
  return [
    200,
    own.length ? { data, meta: { result_count: own.length, ...next } } : { meta: { result_count: 0 } },
  ]
}
