/** @module Dates and counts as readers read them. */

const formatters = new Map<string, Intl.DateTimeFormat>()

/** "8 August 2022" in the site's language (UTC, so every reader and cache sees the same). */
export function longDate(date: Date, locale: string): string {
  let f = formatters.get(locale)
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
    formatters.set(locale, f)
  }
  return f.format(date)
}

/** "Be the first to comment", "1 Comment", "12 Comments". */
export function commentCountLabel(count: number): string {
  if (count === 0) return 'Be the first to comment'
  return count === 1 ? '1 Comment' : `${count} Comments`
}
