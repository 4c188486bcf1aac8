/**
 * @module The site's comment rules, in the order WordPress moderators know them. Each rule looks
 * at the comment and either decides its status, with the reason recorded on the comment, or
 * passes it to the next.
 */
import type { SiteSettings } from '../settings/settings.ts'
import type { Verdict } from '../spam/index.ts'
import { countLinks } from './comment-markdown.ts'

export type CommentStatus = 'pending' | 'approved' | 'spam' | 'trash'

export interface RuleInput {
  readonly author: string
  readonly email: string
  readonly url: string
  readonly content: string
  readonly ip: string | undefined
  readonly userAgent: string | undefined
  /** Comments from this e-mail address approved before. */
  readonly approvedBefore: number
}

export interface Decision {
  readonly status: CommentStatus
  readonly reasons: readonly string[]
}

/** Disallowed keys: a word, e-mail or IP anywhere in the comment's fields sends it to the trash. */
export function disallowedKeyRule(settings: SiteSettings, c: RuleInput): Decision | undefined {
  const haystack = [c.author, c.email, c.url, c.content, c.ip ?? '', c.userAgent ?? ''].join('\n').toLowerCase()
  const key = settings.disallowedKeys.find((k) => k.trim() && haystack.includes(k.trim().toLowerCase()))
  return key ? { status: 'trash', reasons: [`contains a disallowed key: "${key.trim()}"`] } : undefined
}

/** The spam engine's verdict: discard and spam go to spam, hold is held. */
export function spamRule(verdict: Verdict): Decision | undefined {
  const reasons = [`spam filter: ${verdict.verdict} (score ${verdict.score.toFixed(2)})`, ...verdict.reasons]
  if (verdict.verdict === 'discard' || verdict.verdict === 'spam') return { status: 'spam', reasons }
  if (verdict.verdict === 'hold') return { status: 'pending', reasons }
  return undefined
}

export function linkCountRule(settings: SiteSettings, c: RuleInput): Decision | undefined {
  const links = countLinks(c.content)
  if (links <= settings.holdAfterLinks) return undefined
  return { status: 'pending', reasons: [`${links} links (more than ${settings.holdAfterLinks} are held for moderation)`] }
}

/** Why the first-time rule holds a comment: the one hold that proving the address can lift. */
export const FIRST_COMMENT_REASON = 'first comment from this e-mail address'

export function firstTimeRule(settings: SiteSettings, c: RuleInput): Decision | undefined {
  if (!settings.holdFirstTimeCommenters || c.approvedBefore > 0) return undefined
  return { status: 'pending', reasons: [FIRST_COMMENT_REASON] }
}

/** Runs the rules in order; the first that decides wins, and approval is what is left. */
export function decide(settings: SiteSettings, c: RuleInput, verdict: Verdict): Decision {
  const decided =
    disallowedKeyRule(settings, c) ?? spamRule(verdict) ?? linkCountRule(settings, c) ?? firstTimeRule(settings, c)
  return decided ?? { status: 'approved', reasons: [] }
}
