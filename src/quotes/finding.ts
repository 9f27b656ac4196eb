import type { ZodError, ZodType } from 'zod'

// @NOTE A finding is a problem not yet placed in a file: `path` names the field, and each format
// (YAML node ranges, CSV cells) turns it into line:col. Schema issues and our own rules both become findings.

export type FieldPath = (string | number)[]

export interface Finding {
  path: FieldPath
  /** Point at the key itself (an unknown field), not its value. */
  atKey?: boolean
  message: string
  fix: string
  severity: 'error' | 'warning'
}

interface Def {
  type: string
  innerType?: ZodType
  element?: ZodType
  shape?: Record<string, ZodType>
}

/** The field names a schema allows at `path`, read from the schema itself so the list never goes stale. */
function keysAt(schema: ZodType, path: FieldPath): string[] {
  let def = schema._zod.def as Def
  const unwrap = () => {
    while (def.innerType) def = def.innerType._zod.def as Def
  }
  unwrap()
  for (const seg of path) {
    const next = typeof seg === 'number' ? def.element : def.shape?.[seg]
    if (!next) return []
    def = next._zod.def as Def
    unwrap()
  }
  return Object.keys(def.shape ?? {})
}

const FIX: Record<string, string> = {
  id: 'add id: a lowercase slug such as ajar-myanmar-1, unique in the bank',
  text: 'add text: the quote, word for word as the speaker said it',
  language: 'add language: a BCP 47 tag such as en, fr or ar',
  organisation: 'add organisation: {name: …, short: …}',
  'organisation.name': 'add the organisation’s full name',
  source: 'add source: {title: …, url: …, date: YYYY-MM-DD} naming where the quote was published',
  'source.title': 'add the title of the document the quote comes from',
  consent: 'add consent: {status: granted | pending | withdrawn}; only granted quotes are ever posted',
  'consent.status': 'write status: granted, pending or withdrawn',
  timezone: 'add timezone: the IANA zone the session is held in, e.g. Europe/Amsterdam',
  days: 'add days: the session days, each as - date: YYYY-MM-DD',
  'organisation.handles.x': 'write the X handle as @name, e.g. @_CICC',
  'organisation.handles.bluesky': 'write the Bluesky handle as a domain, e.g. ajar.bsky.social',
  'source.url': 'write the web address of the source, starting with https://, or leave url out',
  statement_url: 'write the web address of the statement, starting with https://',
}

const keyOf = (path: FieldPath) => path.filter((p) => typeof p === 'string').join('.')

function valueAt(raw: unknown, path: FieldPath): unknown {
  let v = raw
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string | number, unknown>)[p]
  }
  return v
}

function closest(word: string, options: string[]): string | undefined {
  const dist = (a: string, b: string) => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i)
    for (let i = 1; i <= a.length; i++) {
      let prev = row[0] ?? 0
      row[0] = i
      for (let j = 1; j <= b.length; j++) {
        const here = row[j] ?? 0
        row[j] = Math.min(here + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
        prev = here
      }
    }
    return row[b.length] ?? 0
  }
  const best = options.map((o) => ({ o, d: dist(word, o) })).sort((x, y) => x.d - y.d)[0]
  return best && best.d <= 2 ? best.o : undefined
}

/** Schema issues as findings a comms officer can act on: "missing field consent", "unknown field speakr". */
export function schemaFindings(schema: ZodType, err: ZodError, raw: unknown, what = 'quote'): Finding[] {
  const out: Finding[] = []
  for (const issue of err.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol')
    const name = keyOf(path) || what
    if (issue.code === 'unrecognized_keys') {
      const allowed = keysAt(schema, path)
      for (const key of issue.keys) {
        const near = closest(key, allowed)
        out.push({
          path: [...path, key],
          atKey: true,
          message: `unknown field ${[...path, key].join('.')}`,
          fix: near ? `did you mean ${near}?` : `remove it; fields here are ${allowed.join(', ')}`,
          severity: 'error',
        })
      }
      continue
    }
    if (issue.code === 'invalid_type' && valueAt(raw, path) === undefined) {
      out.push({
        path,
        message: `missing field ${name}`,
        fix: FIX[name] ?? `add ${name}`,
        severity: 'error',
      })
      continue
    }
    out.push({
      path,
      message: `${name}: ${issue.message}`,
      fix: FIX[name] ?? 'see the field list in README.md',
      severity: 'error',
    })
  }
  return out
}
