/** @module How ids, slugs and page numbers look wherever they arrive: paths, query strings, forms. */

/** A record's id: a positive whole number of at most 12 digits. */
export const recordIdRe = /^[1-9]\d{0,11}$/

/** Looks like an e-mail address (one @, a dot in the domain); zod's `z.email()` is stricter where input is typed. */
export const emailRe = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** A page of a listing: 1 to 9,999,999. */
export const pageNumberRe = /^[1-9]\d{0,6}$/
