/**
 * @module The retention job: anonymises old IP addresses and drops user agents. Safe to run twice
 * and from several processes at once: every change is idempotent.
 */
import type { CommentsService } from '../comments/comments.ts'
import type { RateLimiter } from '../rate-limit/rate-limit.ts'
import type { SiteSettings } from '../settings/settings.ts'

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
  readonly ipsAnonymised: number
  readonly userAgentsDropped: number
}

export interface RetentionDeps {
  readonly comments: Pick<CommentsService, 'anonymiseIpsBefore' | 'dropUserAgents'>
  readonly limiter: Pick<RateLimiter, 'forgetBefore'>
}

export async function applyRetention(deps: RetentionDeps, settings: SiteSettings, now: Date): Promise<RetentionResult> {
  const ipsAnonymised = await deps.comments.anonymiseIpsBefore(new Date(now.getTime() - settings.ipRetentionDays * 86_400_000), anonymiseIp)
  const userAgentsDropped = settings.keepUserAgents ? 0 : await deps.comments.dropUserAgents()
  await deps.limiter.forgetBefore(new Date(now.getTime() - 3600_000))
  return { ipsAnonymised, userAgentsDropped }
}
