/** @module Turns headlines and names into URL slugs. */

const combiningMarksRe = /[\u0300-\u036f]/g
const notSlugCharsRe = /[^\p{Letter}\p{Number}]+/gu
const edgeHyphensRe = /^-+|-+$/g

/**
 * A lower-case, hyphenated slug; letters outside ASCII are kept (WordPress does too).
 * @example slugify('Russia sends inmates to the front — again') // 'russia-sends-inmates-to-the-front-again'
 */
export function slugify(text: string, maxLength = 80): string {
  const slug = text
    .normalize('NFKD')
    .replace(combiningMarksRe, '')
    .toLowerCase()
    .replace(notSlugCharsRe, '-')
    .replace(edgeHyphensRe, '')
  return slug.slice(0, maxLength).replace(edgeHyphensRe, '')
}

const validSlugRe = /^[\p{Ll}\p{Lo}\p{N}][\p{Ll}\p{Lo}\p{N}-]*$/u

/** Whether a string can be used as a slug as it stands. */
export function isValidSlug(slug: string): boolean {
  return slug.length <= 200 && validSlugRe.test(slug)
}
