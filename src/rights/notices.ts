/** @module How the site states its rights and credits others: the reuse notice and credit lines. */

export interface CreditLike {
  readonly name: string
  readonly role: string
  readonly url?: string
}

/**
 * The copyright line for an article or page.
 * @example copyrightLine('The Riverside Gazette', new Date('2026-01-02')) // '© 2026 The Riverside Gazette'
 */
export function copyrightLine(holder: string, published: Date): string {
  return `© ${published.getUTCFullYear()} ${holder}`
}

const roleEndsWithPrepositionRe = /\b(by|from|via|of)$/i

/**
 * How a credit reads: "Original reporting: CNN", "Excerpt from Global Defense Corp".
 * The caller links the name when the credit has a URL.
 */
export function creditPrefix(credit: CreditLike): string {
  return roleEndsWithPrepositionRe.test(credit.role) ? `${credit.role} ` : `${credit.role}: `
}

/** The reuse policy's paragraphs (it is stored as plain text). */
export function reuseParagraphs(policy: string): string[] {
  return policy.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean)
}
