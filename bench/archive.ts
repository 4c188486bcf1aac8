/**
 * @module Text for big generated archives: a seeded random generator, and the vocabulary of the
 * real e-mails in ../shared/data/spam/spamassassin.jsonl (ham only) with its word frequencies, so
 * generated stories have real text's shape (a few words everywhere, most words rare).
 */
import fs from 'node:fs'
import path from 'node:path'
import { root } from './support.ts'

/** A seeded generator in [0, 1), so every run builds the same archive. */
export function random(seed: number): () => number {
  let s = seed >>> 0
  return () => ((s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 2 ** 32)
}

/** Words of real text, each repeated as often as it occurs (capped at 200), to draw from. */
export function vocabulary(): string[] {
  const corpus = path.resolve(root, '../shared/data/spam/spamassassin.jsonl')
  const counts = new Map<string, number>()
  for (const line of fs.readFileSync(corpus, 'utf8').split('\n')) {
    if (!line.trim()) continue
    const row = JSON.parse(line) as { label: string; comment_content?: string }
    if (row.label !== 'ham') continue
    for (const w of (row.comment_content ?? '').toLowerCase().match(/\b[a-z]{3,12}\b/g) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1)
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 20_000).flatMap(([w, n]) => Array<string>(Math.min(n, 200)).fill(w))
}

/** Sentences of `n` words drawn from `words` with `pick`. */
export function writer(words: readonly string[], pick: () => number): (n: number) => string {
  return (n) => {
    let text = words[Math.floor(pick() * words.length)]!
    for (let i = 1; i < n; i++) text += ' ' + words[Math.floor(pick() * words.length)]!
    return text
  }
}

/** `count` texts of `words` words each, made once, for a big archive to draw from (drawing is cheaper than writing). */
export function textPool(say: (n: number) => string, count: number, words: (i: number) => number): string[] {
  return Array.from({ length: count }, (_, i) => say(words(i)))
}
