import type { CSSProperties } from 'satori/jsx'
import { scriptOf } from './text.ts'

/** Arabic lines run right to left and sit on the right; other text keeps satori's defaults. */
export function textDirection(text: string): CSSProperties {
  return scriptOf(text) === 'arabic' ? { direction: 'rtl', textAlign: 'right' } : {}
}
