import type { Problem } from '../core/problem.ts'
import type { FieldPath, Finding } from './finding.ts'

// @NOTE What a YAML or CSV quotes file gives the loader: raw entries, each able to say where a field is.

export interface Position {
  line: number
  col: number
}

export interface RawEntry {
  raw: unknown
  start: Position
  /** Where a field is (its value, or its key with `atKey`); the nearest existing parent when it is missing. */
  locate(path: FieldPath, atKey?: boolean): Position
  /** What the format itself found in this entry (a hashtag YAML read as a comment). */
  findings?: Finding[]
}

export interface ParsedFile {
  entries: RawEntry[]
  /** Problems with the file as a whole (syntax, layout, unknown CSV columns). */
  problems: Problem[]
}
