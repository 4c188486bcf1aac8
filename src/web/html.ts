/**
 * @module HTML templating that escapes by default: every value interpolated into `html`…``
 * is escaped unless it is itself `html` or was explicitly marked trusted with `raw()`.
 */

/** A string of HTML that is safe to insert as it is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[]

const escapeRe = /[&<>"']/g
const needsEscapeRe = /[&<>"']/
const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for use in element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return needsEscapeRe.test(text) ? text.replace(escapeRe, (c) => escapes[c]!) : text
}

/**
 * @example html`<a href="${url}">${title}</a>` // both escaped
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0]!
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!
  return new SafeHtml(out)
}

/** Marks HTML as trusted: only for HTML the site itself sanitized or wrote. */
export function raw(trusted: string): SafeHtml {
  return new SafeHtml(trusted)
}

function render(value: Interpolation): string {
  if (value instanceof SafeHtml) return value.value
  if (value === null || value === undefined || value === false) return ''
  if (Array.isArray(value)) {
    let out = ''
    for (const v of value) out += render(v)
    return out
  }
  return escapeHtml(String(value))
}
