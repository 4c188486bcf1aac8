/** @module Dates and counts as readers read them. */

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(locale: string, timeZone: string, style: 'date' | 'time' | 'weekday'): Intl.DateTimeFormat {
  const key = `${style}|${locale}|${timeZone}`
  let f = formatters.get(key)
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      style === 'time'
        ? { hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }
        : { day: 'numeric', month: 'long', year: 'numeric', timeZone, ...(style === 'weekday' && { weekday: 'long' }) }
    f = new Intl.DateTimeFormat(locale, options)
    formatters.set(key, f)
  }
  return f
}

/** "8 August 2022" in the site's language and time zone (UTC unless given: every reader and cache sees the same). */
export function longDate(date: Date, locale: string, timeZone = 'UTC'): string {
  return formatter(locale, timeZone, 'date').format(date)
}

/** "09:15 GMT": the time of day in the site's time zone, with the zone's short name. */
export function timeOfDay(date: Date, locale: string, timeZone: string): string {
  return formatter(locale, timeZone, 'time').format(date)
}

/** "Wednesday, 2 December 2026": the front page's date line. */
export function dateLine(date: Date, locale: string, timeZone: string): string {
  return formatter(locale, timeZone, 'weekday').format(date)
}

/** "Be the first to comment", "1 Comment", "12 Comments". */
export function commentCountLabel(count: number): string {
  if (count === 0) return 'Be the first to comment'
  return count === 1 ? '1 Comment' : `${count} Comments`
}
