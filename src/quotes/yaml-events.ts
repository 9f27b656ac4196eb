import {
  COLLECTION_STYLE,
  EVENT_ID,
  type Event,
  getScalarValue,
  type MappingEvent,
  parseEvents,
  SCALAR_STYLE,
  type ScalarEvent,
} from 'js-yaml'
import { isScalar, isSeq, LineCounter, type Node, parseDocument, type ScalarTag } from 'yaml'
import type { Finding } from './finding.ts'
import type { ParsedFile, RawEntry } from './source-file.ts'
import {
  hashtagCommentFindings,
  parseYamlText,
  plainValue,
  readYamlQuotesByTree,
  yamlLocator,
} from './yaml-file.ts'

// @NOTE yaml's node tree (yaml-file.ts) places every node, and costs for it: 10,000 quotes (9 MB) took 4 s
// to parse, against 0.25 s for js-yaml's event stream. So a quotes file in the usual shape (a block list of
// quotes at the left margin) is read from js-yaml's events, and only a quote that has something to place (a
// problem, or a ` #` that may be a lost hashtag) is parsed again by yaml, alone: its own lines, as a list of
// one. What the events path does not handle, or handles in any doubt, it declines, and the whole file is read
// by the tree:
//   - js-yaml finds an error: the tree reports yaml's own message and place;
//   - directives, `---`/`...`, a byte-order mark, a lone CR, a tab in indentation, tags, more than one
//     document;
//   - a root that is not a block list of mappings each written `- key…` at the margin;
//   - keys that are not plain strings (collections, aliases, anchored, numbers, duplicates, very long,
//     `__proto__`).
// A quote with a scalar the two parsers may fold differently (see `unsure`) is read by yaml alone.
// Values are built as plainValue builds them (aliases share the anchored value set before them), and plain
// scalars resolve through yaml's own core schema tags, so `0o17`, `~` and `2022-11-30` mean what they mean to
// yaml. test/quotes/yaml-events.test.ts holds the two ways to the same entries, starts, findings and places on
// the fixtures and on mutated banks.

/** Thrown inside the walk when the file is outside what the events path reads. */
const DECLINE = Symbol('decline')
/** Thrown inside the walk at a scalar the two parsers may read differently: that quote is read by yaml. */
const UNSURE = Symbol('unsure')

const probe = parseDocument('')
/** The tags yaml tries on a plain scalar, in its order (compose-scalar.ts findScalarTagByTest). */
const implicitTags = probe.schema.tags.filter(
  (t): t is ScalarTag & { test: RegExp } => t.default === true && t.test !== undefined,
)

/**
 * One test for "does any core tag match": most plain scalars are text, and trying eight patterns on each was a
 * tenth of the reading. Built from the tags' own patterns, so it matches exactly when one of them does.
 */
const anyTag = implicitTags.every((t) => t.test.flags === '')
  ? new RegExp(implicitTags.map((t) => `(?:${t.test.source})`).join('|'))
  : undefined

/** A plain scalar's value as yaml resolves it; a string when no core tag matches. */
function plainScalar(source: string): unknown {
  if (anyTag && !anyTag.test(source)) return source
  for (const tag of implicitTags) {
    if (!tag.test.test(source)) continue
    const res = tag.resolve(
      source,
      () => {
        throw DECLINE
      },
      probe.options,
    )
    return isScalar(res) ? res.value : res
  }
  return source
}

interface Walk {
  text: string
  events: Event[]
  at: number
  anchors: Map<string, unknown>
  /** Anchors set while walking the current quote, with what they held before, to undo if it is UNSURE. */
  undo: [name: string, had: boolean, before: unknown][]
}

function next(w: Walk): Event {
  const e = w.events[w.at++]
  if (!e) throw DECLINE
  return e
}

/** A whitespace-only line, or a tab: the two parsers fold these differently in block and multi-line scalars. */
const BLANK_OR_TAB = /(?:^|\n)[ \t]+(?:\r?\n|$)|\t/
/**
 * In a multi-line flow scalar, the same; or a last line of spaces only (before the closing quote); or an
 * escaped line break followed by an empty line (double-quoted).
 */
const FLOW_UNSURE = /\t|\n[ \t]+(?:\r?\n|$)|\n$|\\\r?\n[ \t]*(?:\r?\n|$)/

/**
 * Whether js-yaml might decode this scalar other than yaml does. Found by feeding both mutated banks: they part
 * on lines of spaces only and on tabs inside block and multi-line scalars, and on an escaped line break
 * followed by an empty line; one-line scalars and ordinary folding agree.
 */
function unsure(text: string, e: ScalarEvent): boolean {
  if (e.fast) return false
  if (e.valueStart === -1)
    return e.style === SCALAR_STYLE.LITERAL_BLOCK || e.style === SCALAR_STYLE.FOLDED_BLOCK
  const span = text.slice(e.valueStart, e.valueEnd)
  if (e.style === SCALAR_STYLE.LITERAL_BLOCK || e.style === SCALAR_STYLE.FOLDED_BLOCK) {
    // The blank lines after the block belong to it too (kept with `|+`).
    const more = /[^ \t\r\n]|$/g
    more.lastIndex = e.valueEnd
    const next = more.exec(text)?.index ?? text.length
    const trailing = text.slice(e.valueEnd, Math.max(e.valueEnd, text.lastIndexOf('\n', next) + 1))
    return BLANK_OR_TAB.test(span) || /[ \t]/.test(trailing)
  }
  return span.includes('\n') && FLOW_UNSURE.test(span)
}

function scalarValue(w: Walk, e: ScalarEvent): unknown {
  if (e.tagStart !== -1) throw DECLINE
  if (unsure(w.text, e)) throw UNSURE
  if (e.style !== SCALAR_STYLE.PLAIN) return getScalarValue(w.text, e)
  return plainScalar(e.valueStart === -1 ? '' : getScalarValue(w.text, e))
}

/** Longest key written: yaml refuses an implicit key over 1024 characters; ours are a few letters. */
const MAX_KEY = 200

/** The value of the node whose events start at `w.at`, as plainValue gives it. */
function nodeValue(w: Walk): unknown {
  const e = next(w)
  let value: unknown
  switch (e.type) {
    case EVENT_ID.SCALAR:
      value = scalarValue(w, e)
      break
    case EVENT_ID.ALIAS:
      return w.anchors.get(w.text.slice(e.anchorStart, e.anchorEnd))
    case EVENT_ID.SEQUENCE: {
      if (e.tagStart !== -1) throw DECLINE
      const items: unknown[] = []
      while (w.events[w.at]?.type !== EVENT_ID.POP) items.push(nodeValue(w))
      w.at++
      value = items
      break
    }
    case EVENT_ID.MAPPING: {
      if (e.tagStart !== -1) throw DECLINE
      const obj: Record<string, unknown> = {}
      while (w.events[w.at]?.type !== EVENT_ID.POP) {
        const k = next(w)
        if (k.type !== EVENT_ID.SCALAR || k.anchorStart !== -1 || k.valueEnd - k.valueStart > MAX_KEY)
          throw DECLINE
        const key = scalarValue(w, k)
        // A duplicate is yaml's error. `__proto__` sets no property of its own to find a duplicate by.
        if (typeof key !== 'string' || key === '__proto__' || Object.hasOwn(obj, key)) throw DECLINE
        obj[key] = nodeValue(w)
      }
      w.at++
      value = obj
      break
    }
    default:
      throw DECLINE
  }
  if (e.anchorStart !== -1) {
    // yaml wants white space after `&name`; js-yaml reads `&name{` as an anchor before a flow map.
    if (!/^[ \t\r\n]?$/.test(w.text.charAt(e.anchorEnd))) throw DECLINE
    const name = w.text.slice(e.anchorStart, e.anchorEnd)
    w.undo.push([name, w.anchors.has(name), w.anchors.get(name)])
    w.anchors.set(name, value)
  }
  return value
}

/** Line starts as yaml's LineCounter records them while parsing: offset 0 and after every LF. */
function lineCounter(text: string): LineCounter {
  const lc = new LineCounter()
  lc.addNewLine(0)
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', nl + 1)) lc.addNewLine(nl + 1)
  return lc
}

/**
 * Line and column (from 1) of each offset, in rising order, as LineCounter.linePos gives them: counting the
 * line breaks once, without the list of every line start that a LineCounter keeps.
 */
function startPositions(text: string, offsets: number[]): { line: number; col: number }[] {
  let line = 1
  let lineStart = 0
  return offsets.map((offset) => {
    for (let nl = text.indexOf('\n', lineStart); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
      line++
      lineStart = nl + 1
    }
    return { line, col: offset - lineStart + 1 }
  })
}

/** A `- ` at the margin, then the quote's first key (or `{`) on the same line. */
const ITEM_LEAD = /^- +$/
/** What a lost hashtag needs somewhere in the quote's lines (hashtagCommentFindings looks closer). */
const MAYBE_HASHTAG = /[ \t]#[^\s#]/

/** A quote's node from yaml's tree, with the text its ranges count in and where that text starts in the file. */
interface Tree {
  node: Node
  text: string
  base: number
}

/**
 * A quote parsed by yaml alone: its own lines, `from` (the start of its `- ` line) to the next quote's, read
 * as a list of one. Undefined unless it comes out as one node starting where js-yaml saw the quote start.
 */
function aloneTree(text: string, from: number, to: number, start: number): Tree | undefined {
  const slice = text.slice(from, to)
  const one = parseDocument(slice, { prettyErrors: false })
  const node = isSeq(one.contents) && one.contents.items.length === 1 ? one.contents.items[0] : undefined
  if (one.errors.length > 0 || !node || (node as Node).range?.[0] !== start - from) return undefined
  return { node: node as Node, text: slice, base: from }
}

/** Where the events of the node at `at` end. */
function skipNode(events: Event[], at: number): number {
  let depth = 0
  let i = at
  do {
    const e = events[i++]
    if (!e) throw DECLINE
    if (e.type === EVENT_ID.SEQUENCE || e.type === EVENT_ID.MAPPING) depth++
    else if (e.type === EVENT_ID.POP) depth--
  } while (depth > 0)
  return i
}

interface Item {
  raw: unknown
  /** Offset of the quote's node. */
  start: number
  /** Offset of its `- ` line. */
  from: number
  tree?: Tree
}

/** Whether the events are one document, no directives or markers, holding a plain block list. */
function usualRoot(events: Event[]): boolean {
  const doc = events[0]
  const root = events[1]
  return (
    doc?.type === EVENT_ID.DOCUMENT &&
    !doc.explicitStart &&
    !doc.explicitEnd &&
    doc.directives.length === 0 &&
    root?.type === EVENT_ID.SEQUENCE &&
    root.style === COLLECTION_STYLE.BLOCK &&
    root.anchorStart === -1 &&
    root.tagStart === -1
  )
}

const lineOf = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1

/**
 * The quote whose events start at `w.at` (its mapping event is `e`, its `- ` line at `from`), read by yaml
 * instead: the anchors it set are put back first, then yaml's tree of its lines sets them again, in order.
 */
function readUnsure(w: Walk, e: MappingEvent, from: number): Item | undefined {
  for (const [name, had, before] of w.undo.reverse())
    if (had) w.anchors.set(name, before)
    else w.anchors.delete(name)
  w.at = skipNode(w.events, w.at)
  const after = w.events[w.at]
  const to = after?.type === EVENT_ID.MAPPING ? lineOf(w.text, after.start) : w.text.length
  const tree = aloneTree(w.text, from, to, e.start)
  return tree && { raw: plainValue(tree.node, w.anchors), start: e.start, from, tree }
}

/** The quotes of a file that is one block list of mappings at the margin; undefined for any other file. */
function readItems(text: string, events: Event[]): Item[] | undefined {
  if (!usualRoot(events)) return undefined
  const w: Walk = { text, events, at: 2, anchors: new Map(), undo: [] }
  const items: Item[] = []
  while (events[w.at]?.type !== EVENT_ID.POP) {
    const e = events[w.at]
    if (e?.type !== EVENT_ID.MAPPING || e.anchorStart !== -1) return undefined
    const from = lineOf(text, e.start)
    if (!ITEM_LEAD.test(text.slice(from, e.start))) return undefined
    const begin = w.at
    w.undo.length = 0
    let item: Item | undefined
    try {
      item = { raw: nodeValue(w), start: e.start, from }
    } catch (err) {
      if (err !== UNSURE) throw err
      w.at = begin
      item = readUnsure(w, e, from)
    }
    if (!item) return undefined
    items.push(item)
  }
  // The root list's end, the document's end, and nothing after: one document.
  if (events.length !== w.at + 2 || events[w.at + 1]?.type !== EVENT_ID.POP) return undefined
  return items.length > 0 ? items : undefined
}

/**
 * A quotes file read from js-yaml's events, or undefined when it is not in the shape this reads: the caller
 * then reads it through the node tree.
 */
export function readYamlQuotesByEvents(text: string, file: string): ParsedFile | undefined {
  if (text.charCodeAt(0) === 0xfeff) return undefined
  if (text.includes('\r') && /\r(?!\n)/.test(text)) return undefined
  // A tab among a line's leading spaces or dashes: yaml refuses tabs as indentation where js-yaml may not.
  if (text.includes('\t') && /(?:^|\n)[ -]*\t/.test(text)) return undefined
  let events: Event[]
  try {
    events = parseEvents(text, {})
  } catch {
    // A syntax error: the tree gives yaml's own message and place.
    return undefined
  }
  let items: Item[] | undefined
  try {
    items = readItems(text, events)
  } catch (err) {
    if (err === DECLINE) return undefined
    throw err
  }
  if (!items) return undefined
  // Every line start is needed only to place a finding; where each quote starts is counted on the way.
  let lc: LineCounter | undefined
  const counter = () => {
    lc ??= lineCounter(text)
    return lc
  }
  const starts = startPositions(
    text,
    items.map((item) => item.start),
  )
  let whole: Node[] | undefined
  /** The quote's node, from yaml's tree of the whole file when alone it does not come out the same. */
  const wholeTree = (i: number): Tree => {
    if (!whole) {
      const contents = parseYamlText(text, file).doc.contents
      whole = isSeq(contents) ? (contents.items as Node[]) : []
    }
    const node = whole[i]
    if (!node) throw new Error(`yaml and js-yaml disagree on the quotes of ${file}`)
    return { node, text, base: 0 }
  }
  const entries = items.map((item, i): RawEntry => {
    const to = items[i + 1]?.from ?? text.length
    const tree = () => {
      item.tree ??= aloneTree(text, item.from, to, item.start) ?? wholeTree(i)
      return item.tree
    }
    const findings: Finding[] = MAYBE_HASHTAG.test(text.slice(item.from, to))
      ? hashtagCommentFindings(tree().node, tree().text)
      : []
    const { line, col } = starts[i] ?? counter().linePos(item.start)
    return {
      raw: item.raw,
      start: { line, col },
      locate: (path, atKey) => yamlLocator(tree().node, counter(), tree().base)(path, atKey),
      findings,
    }
  })
  return { entries, problems: [] }
}

/** A quotes file's entries: from js-yaml's events when it has the usual shape, else from yaml's node tree. */
export function readYamlQuotes(text: string, file: string): ParsedFile {
  return readYamlQuotesByEvents(text, file) ?? readYamlQuotesByTree(text, file)
}
