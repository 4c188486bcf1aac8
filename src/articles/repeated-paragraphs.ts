/** @module Finds paragraphs that a body repeats, a common slip when a story is pasted together. */

export interface RepeatedParagraph {
  /** 1-based line where the paragraph first appears. */
  readonly firstLine: number
  /** 1-based line where it appears again. */
  readonly repeatLine: number
  readonly excerpt: string
}

/** Short lines (rules, "* * *", sign-offs) repeat on purpose; only real paragraphs count. */
const MIN_PARAGRAPH_CHARS = 40

/**
 * Every paragraph that repeats an earlier one, ignoring case, spacing and quote markers.
 * @example findRepeatedParagraphs('A long lede …\n\nMore.\n\nA long lede …', 1)
 */
export function findRepeatedParagraphs(body: string, firstLineNumber = 1): RepeatedParagraph[] {
  const seen = new Map<string, number>()
  const repeats: RepeatedParagraph[] = []
  const lines = body.split('\n')
  let start = -1
  const flush = (end: number) => {
    if (start < 0) return
    const text = lines.slice(start, end).join(' ')
    const key = text.replace(/^[>\s]+/gm, '').replace(/\s+/g, ' ').trim().toLowerCase()
    if (key.length >= MIN_PARAGRAPH_CHARS) {
      const line = start + firstLineNumber
      const earlier = seen.get(key)
      if (earlier === undefined) seen.set(key, line)
      else repeats.push({ firstLine: earlier, repeatLine: line, excerpt: key.slice(0, 60) })
    }
    start = -1
  }
  lines.forEach((line, i) => {
    if (line.replace(/^[>\s]+/, '').trim() === '') flush(i)
    else if (start < 0) start = i
  })
  flush(lines.length)
  return repeats
}
