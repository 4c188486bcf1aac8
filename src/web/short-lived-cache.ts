/**
 * @module A small per-process cache for page parts that may be as old as the page's own
 * `Cache-Control: max-age` (60 s) — related stories, a section's newest stories — so that each
 * article or front-page request does not repeat the queries behind them.
 */

/** Remembers up to `capacity` values for `ttlMs` each; the oldest entry leaves first. A failed computation is not kept. */
export function shortLivedCache<T>(ttlMs: number, capacity: number) {
  const entries = new Map<string, { until: number; value: Promise<T> }>()
  return {
    get(key: string, compute: () => Promise<T>): Promise<T> {
      const now = Date.now()
      const hit = entries.get(key)
      if (hit && hit.until > now) return hit.value
      const value = compute()
      entries.delete(key)
      entries.set(key, { until: now + ttlMs, value })
      value.catch(() => entries.delete(key))
      if (entries.size > capacity) entries.delete(entries.keys().next().value!)
      return value
    },
    /** Forgets everything (what the parts show has changed: the page cache heard so). */
    clear(): void {
      entries.clear()
    },
  }
}
