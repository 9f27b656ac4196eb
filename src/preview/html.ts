// @NOTE Every string that reaches the page comes from a file a person typed (quote bank, plan), so
// interpolation escapes by default and only `SafeHtml` (built by this tag) passes through untouched.
// A tiny synchronous tag instead of hono/html: its result may be a Promise, which spreads async everywhere.

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[]

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
}

/** Safe in text and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c)
}

function render(v: HtmlValue): string {
  if (v instanceof SafeHtml) return v.value
  if (Array.isArray(v)) return v.map(render).join('')
  // false/null/undefined render nothing, so `${cond && html`…`}` reads naturally.
  if (v === null || v === undefined || v === false || v === true) return ''
  return escapeHtml(String(v))
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? ''
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '')
  return new SafeHtml(out)
}

/**
 * Words someone typed into the bank or campaign, set apart from the text around them: `<bdi>` takes its
 * direction from its own first strong letter (Arabic reads right to left) and nothing inside it, not even a
 * stray direction control, can reorder the page's words next to it.
 */
export function bdi(text: string | undefined): SafeHtml {
  return text ? html`<bdi>${text}</bdi>` : html``
}

/** Only http(s) links leave the page; anything else (javascript:, data:) becomes undefined. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined
  try {
    const u = new URL(url)
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined
  } catch {
    return undefined
  }
}
