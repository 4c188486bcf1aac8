/** @module How much each Akismet key's sites asked and reported, per month (for `/1.2/usage-limit` and `/1.2/key-sites`). */
import type { DB } from '../storage/database.ts'
import * as store from './spam-filter-store.ts'
import type { UsageCounter, UsageOrder } from './spam-filter-store.ts'

export type { UsageCounter, UsageOrder }

export interface SiteUsage {
  readonly site: string
  readonly apiCalls: number
  readonly spam: number
  readonly ham: number
  readonly missedSpam: number
  readonly falsePositives: number
}

export interface AkismetUsage {
  /** Counts one call of a key for the site it named (`blog`) in the month of `at`. */
  count(keyId: number, site: string, counter: UsageCounter | undefined, at: Date): Promise<void>
  /** The calls of a key in a month, all sites together. */
  calls(keyId: number, month: string): Promise<number>
  sites(keyId: number, month: string, page: { order: UsageOrder; limit: number; offset: number; filter?: string }): Promise<{ sites: SiteUsage[]; total: number }>
}

/** `YYYY-MM` of a date, in UTC. */
export function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7)
}

export function akismetUsage(db: DB): AkismetUsage {
  return {
    count: (keyId, site, counter, at) => store.countUsage(db, keyId, monthOf(at), siteOf(site), counter),
    calls: (keyId, month) => store.callsOf(db, keyId, month),
    async sites(keyId, month, page) {
      const { rows, total } = await store.usageOf(db, keyId, month, page.order, page.limit, page.offset, page.filter)
      return {
        total,
        sites: rows.map((r) => ({ site: r.site, apiCalls: r.api_calls, spam: r.spam, ham: r.ham, missedSpam: r.missed_spam, falsePositives: r.false_positives })),
      }
    },
  }
}

/** The site as Akismet lists it: the blog URL's host name (or the text itself, shortened, if it is no URL). */
function siteOf(blog: string): string {
  try {
    return new URL(blog).hostname.toLowerCase()
  } catch {
    return blog.trim().toLowerCase().slice(0, 200)
  }
}
