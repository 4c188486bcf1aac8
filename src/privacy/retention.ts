/**
 * @module The retention job: anonymises old IP addresses and drops user agents. Safe to run twice
 * and from several processes at once: every change is idempotent.
 */
import type { SiteSettings } from '../settings/settings.ts'
import type { DB } from '../storage/database.ts'
import * as comments from '../comments/comment-store.ts'
import { forgetOldWindows } from '../comments/rate-limit.ts'

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

function isAnonymised(ip: string): boolean {
  return anonymiseIp(ip) === ip
}

export interface RetentionResult {
  readonly ipsAnonymised: number
  readonly userAgentsDropped: number
}

export async function applyRetention(db: DB, settings: SiteSettings, now: Date): Promise<RetentionResult> {
  const cutoff = new Date(now.getTime() - settings.ipRetentionDays * 86_400_000).toISOString()
  let ipsAnonymised = 0
  for (const c of await comments.commentsWithIpBefore(db, cutoff)) {
    if (!c.author_ip || isAnonymised(c.author_ip)) continue
    if (await comments.replaceIp(db, c.id, c.author_ip, anonymiseIp(c.author_ip))) ipsAnonymised++
  }
  const userAgentsDropped = settings.keepUserAgents ? 0 : await comments.dropUserAgents(db)
  await forgetOldWindows(db, new Date(now.getTime() - 3600_000))
  return { ipsAnonymised, userAgentsDropped }
}
