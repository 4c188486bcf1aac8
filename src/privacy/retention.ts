/**
 * @module The retention job: anonymises old IP addresses, drops user agents and forgets what has
 * expired, in bounded batches, in one process at a time across every process and host.
 */
import type { AccountsService } from '../accounts/accounts.ts'
import type { CommentsService } from '../comments/comments.ts'
import { inBatches } from '../jobs/batches.ts'
import { withLease } from '../jobs/lease.ts'
import type { RateLimiter } from '../rate-limit/rate-limit.ts'
import type { SiteSettings } from '../settings/settings.ts'
import type { DB } from '../storage/database.ts'

/** 203.0.113.45 → 203.0.113.0; 2001:db8:1:2:3:4:5:6 → 2001:db8:1::. */
export function anonymiseIp(ip: string): string {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(ip.replace(/^::ffff:/i, ''))
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0`
  if (ip.includes(':')) {
    const groups = ip.split('::')[0]!.split(':').filter(Boolean).slice(0, 3)
    return `${groups.join(':')}::`
  }
  return '0.0.0.0'
}

export interface RetentionResult {
  /** False when another process held the job's lease (it was running the job): nothing was done here. */
  readonly ran: boolean
  readonly ipsAnonymised: number
  readonly userAgentsDropped: number
  /** Rate-limit windows, expired sessions and expired sign-in links removed. */
  readonly windowsForgotten: number
  readonly sessionsEnded: number
  readonly linksForgotten: number
  /** Comments from before the duplicate check's text hashes that were given theirs. */
  readonly textsHashed: number
  /** Transactions that changed rows, over all the sweeps. */
  readonly batches: number
}

export interface RetentionDeps {
  readonly db: DB
  readonly comments: Pick<CommentsService, 'anonymiseIpsBefore' | 'dropUserAgents' | 'hashTexts'>
  readonly limiter: Pick<RateLimiter, 'forgetBefore'>
  readonly accounts: Pick<AccountsService, 'forgetExpiredSessions' | 'forgetExpiredLinks'>
}

export interface RetentionOptions {
  /** Rows each transaction changes at most (default 1,000). */
  readonly batchSize?: number
  /** Called after each batch that changed rows (tests watch the sweep go by). */
  readonly afterBatch?: (sweep: string, changed: number) => void | Promise<void>
}

/** Rows a sweep's transaction changes at most: a few milliseconds of work between two requests. */
export const RETENTION_BATCH = 1000

const NOTHING_DONE: RetentionResult = Object.freeze({ ran: false, ipsAnonymised: 0, userAgentsDropped: 0, windowsForgotten: 0, sessionsEnded: 0, linksForgotten: 0, textsHashed: 0, batches: 0 })

/**
 * Anonymises IPs past the retention period, drops user agents (unless kept), forgets old
 * rate-limit windows, expired sessions and expired links: each sweep in batches of one
 * transaction, yielding to requests between them, in one process at a time (a lease; a process
 * that finds it held does nothing). Resumable: each sweep reads only rows still to do, so a run
 * cut short leaves the rest to the next.
 * @example
 * const result = await applyRetention({ db, comments, limiter, accounts }, settings, new Date())
 * if (!result.ran) log('another process is running the retention job')
 */
export async function applyRetention(deps: RetentionDeps, settings: SiteSettings, now: Date, options: RetentionOptions = {}): Promise<RetentionResult> {
  const batchSize = options.batchSize ?? RETENTION_BATCH
  const ipsBefore = new Date(now.getTime() - settings.ipRetentionDays * 86_400_000)
  const windowsBefore = new Date(now.getTime() - 3600_000)
  const result = await withLease(deps.db, 'retention', async (lease) => {
    let batches = 0
    const sweep = async (name: string, step: (limit: number) => Promise<number>) => {
      const reported = async (limit: number) => {
        const changed = await step(limit)
        if (changed > 0) await options.afterBatch?.(name, changed)
        return changed
      }
      const done = await inBatches(reported, { batchSize, between: () => lease.renew() })
      batches += done.batches
      return done.changed
    }
    const ipsAnonymised = await sweep('ips', (limit) => deps.comments.anonymiseIpsBefore(ipsBefore, anonymiseIp, limit))
    const userAgentsDropped = settings.keepUserAgents ? 0 : await sweep('user-agents', (limit) => deps.comments.dropUserAgents(limit))
    const windowsForgotten = await sweep('rate-limit-windows', (limit) => deps.limiter.forgetBefore(windowsBefore, limit))
    const sessionsEnded = await sweep('sessions', (limit) => deps.accounts.forgetExpiredSessions(limit))
    const linksForgotten = await sweep('links', (limit) => deps.accounts.forgetExpiredLinks(limit))
    // Not about privacy, but the same kind of bounded sweep over old rows, once, under the same lease.
    const textsHashed = await sweep('text-hashes', (limit) => deps.comments.hashTexts(limit))
    return { ran: true, ipsAnonymised, userAgentsDropped, windowsForgotten, sessionsEnded, linksForgotten, textsHashed, batches }
  })
  return result ?? NOTHING_DONE
}
