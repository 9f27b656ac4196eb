import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml'
import type { Problem } from '../core/problem.ts'
import type { FieldPath, Finding } from './finding.ts'
import type { ParsedFile, Position, RawEntry } from './source-file.ts'

// @NOTE Positions come from the YAML nodes themselves (via LineCounter), so an error in a flow map
// `{ x: "@bad handle" }` points at the handle, not at the start of the quote.

function nodeAt(root: unknown, path: FieldPath, atKey: boolean): { offset: number } {
  let node: unknown = root
  let offset = (root as Node).range?.[0] ?? 0
  for (const [i, seg] of path.entries()) {
    const last = i === path.length - 1
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === seg)
      if (!pair) break
      const key = pair.key as Node
      const value = pair.value as Node | null
      offset = last && atKey ? (key.range?.[0] ?? offset) : (value?.range?.[0] ?? key.range?.[0] ?? offset)
      node = value
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined
      if (!item) break
      offset = item.range?.[0] ?? offset
      node = item
    } else break
  }
  return { offset }
}

/**
 * A YAML node tree as a locator for one parsed document (also used for campaign.yaml). `base` is where the
 * parsed text starts in the file `lc` counted, when only a slice of it was parsed.
 */
export function yamlLocator(
  root: unknown,
  lc: LineCounter,
  base = 0,
): (path: FieldPath, atKey?: boolean) => Position {
  return (path, atKey = false) => {
    const { line, col } = lc.linePos(base + nodeAt(root, path, atKey).offset)
    return { line, col }
  }
}

/**
 * The plain value of a node, aliases resolved in one pass. @NOTE yaml's own toJS looks each alias up by
 * walking the document again (quadratic): a 10,000-quote bank with `source: *release` took minutes.
 */
export function plainValue(node: unknown, anchors = new Map<string, unknown>()): unknown {
  let value: unknown
  if (isAlias(node)) value = anchors.get(node.source)
  else if (isScalar(node)) value = node.value
  else if (isMap(node)) {
    const obj: Record<string, unknown> = {}
    for (const pair of node.items) {
      if (!isPair(pair)) continue
      const key = plainValue(pair.key, anchors)
      obj[String(key)] = plainValue(pair.value, anchors)
    }
    value = obj
  } else if (isSeq(node)) value = node.items.map((item) => plainValue(item, anchors))
  else value = node ?? null
  const anchor = (node as { anchor?: string } | null)?.anchor
  if (anchor) anchors.set(anchor, value)
  return value
}

export function parseYamlText(
  text: string,
  file: string,
): { doc: ReturnType<typeof parseDocument>; lc: LineCounter; problems: Problem[] } {
  const lc = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false })
  const problems: Problem[] = doc.errors.map((e) => {
    const at = lc.linePos(e.pos[0])
    return {
      file,
      line: at.line,
      col: at.col,
      message: `YAML syntax error: ${e.message.split('\n')[0] ?? e.code}`,
      fix: 'check indentation, colons and quotes on this line (text with a colon or # needs "quotes")',
      severity: 'error',
    }
  })
  return { doc, lc, problems }
}

/** A quotes file read through yaml's node tree: every node placed, any file (see yaml-events.ts for the fast way). */
export function readYamlQuotesByTree(text: string, file: string): ParsedFile {
  const { doc, lc, problems } = parseYamlText(text, file)
  if (problems.length > 0) return { entries: [], problems }
  const root = doc.contents
  if (root === null) return { entries: [], problems: [] }
  if (!isSeq(root)) {
    const at = lc.linePos((root as Node).range?.[0] ?? 0)
    return {
      entries: [],
      problems: [
        {
          file,
          line: at.line,
          col: at.col,
          message: 'a quotes file is a list of quotes',
          fix: 'start each quote with "- id: …"',
          severity: 'error',
        },
      ],
    }
  }
  const anchors = new Map<string, unknown>()
  const entries: RawEntry[] = root.items.map((item) => {
    const locate = yamlLocator(item, lc)
    return {
      raw: plainValue(item, anchors),
      start: locate([]),
      locate,
      findings: hashtagCommentFindings(item, text),
    }
  })
  return { entries, problems: [] }
}

/**
 * Plain values cut short by a hashtag. @NOTE In YAML ` #` starts a comment, so `call_to_action: Join us at #ASP21`
 * silently loses its hashtag. Comms staff write hashtags everywhere; a comment written as `#word` (no space) is
 * so rare that we treat it as this mistake rather than let a post go out without its tag.
 */
export function hashtagCommentFindings(root: unknown, text: string, path: FieldPath = []): Finding[] {
  if (isMap(root)) {
    return root.items.flatMap((p) =>
      isPair(p) && isScalar(p.key)
        ? hashtagCommentFindings(p.value, text, [...path, String(p.key.value)])
        : [],
    )
  }
  if (isSeq(root)) return root.items.flatMap((item, i) => hashtagCommentFindings(item, text, [...path, i]))
  if (!isScalar(root) || root.type !== 'PLAIN' || !root.range) return []
  const tag = /^[ \t]+#([^\s#]\S*)/.exec(text.slice(root.range[1], root.range[2]))?.[1]
  if (!tag) return []
  return [
    {
      path,
      message: `the value stops before "#${tag}": in YAML " #" starts a comment, so the hashtag and the rest of the line are lost`,
      fix: 'put the whole value in "double quotes"; if it is a comment, write "# " with a space',
      severity: 'error',
    },
  ]
}
