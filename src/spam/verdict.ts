/**
 * @module The verdict: hard signals (honeypot, timing, the form's token, reputation, history)
 * combined with the text model's log-odds, mapped to discard / spam / hold / pass by thresholds,
 * with the reasons a moderator reads.
 */
import { COMMON_WORDS, extractFeatures, type Features, type PatternKind } from './features.ts'
import { sigmoid, type TextModel } from './model.ts'
import type { CommentContext, CommentSample, ReputationCounts } from './sample.ts'
import { SPAM_KINDS, spamKinds } from './spam-kinds.ts'

export type VerdictKind = 'discard' | 'spam' | 'hold' | 'pass'

export interface Verdict {
  readonly verdict: VerdictKind
  /** Probability that the comment is spam, 0–1. */
  readonly score: number
  /** Sentences for the moderator, strongest first. */
  readonly reasons: readonly string[]
}

/** Probabilities at or above which a comment is discarded, marked spam, or held. */
export interface Thresholds {
  readonly discard: number
  readonly spam: number
  readonly hold: number
}

export const DEFAULT_THRESHOLDS: Thresholds = { discard: 0.995, spam: 0.5, hold: 0.4 }

interface Signal {
  readonly logit: number
  readonly reason: string
}

/**
 * @example
 * classify(model, { comment_content: 'Check out my channel!!!' }, { secondsToSubmit: 0.8 })
 * // { verdict: 'spam', score: 0.97, reasons: ['submitted 0.8 s after the page was served', 'words typical of spam: channel, check'] }
 */
export function classify(
  model: TextModel,
  sample: CommentSample,
  context: CommentContext = {},
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
  features: Features = extractFeatures(sample),
): Verdict {
  if (context.honeypotFilled) {
    return { verdict: 'discard', score: 1, reasons: ['the hidden form field that only robots fill in was filled in'] }
  }
  const textLogit = model.logit(features)
  const signals = contextSignals(features, context)
  const language = languageSignal(features, sample.blog_lang) ?? siteLanguageSignal(features, sample.blog_lang, textLogit)
  if (language) signals.push(language)
  for (const m of spamKinds(sample.comment_content ?? '')) signals.push({ logit: SPAM_KINDS[m.kind].logit, reason: `${SPAM_KINDS[m.kind].reason} ("${m.text}")` })
  const logit = signals.reduce((sum, s) => sum + s.logit, textLogit)
  const score = sigmoid(logit)
  const verdict: VerdictKind =
    score >= thresholds.discard ? 'discard' : score >= thresholds.spam ? 'spam' : score >= thresholds.hold ? 'hold' : 'pass'
  const reasons = [
    ...signals.filter((s) => s.logit !== 0).sort((a, b) => Math.abs(b.logit) - Math.abs(a.logit)).map((s) => weighed(s.reason, s.logit)),
    ...textReasons(model, features, textLogit),
  ]
  return { verdict, score: Math.round(score * 10000) / 10000, reasons }
}

function contextSignals(f: Features, c: CommentContext): Signal[] {
  const signals: Signal[] = []
  if (c.secondsToSubmit !== undefined) {
    if (c.secondsToSubmit < 3) signals.push({ logit: 3, reason: `submitted ${c.secondsToSubmit.toFixed(1)} s after the page was served` })
    else if (c.secondsToSubmit > 3 * 86_400) signals.push({ logit: 1, reason: `submitted ${Math.round(c.secondsToSubmit / 86_400)} days after the page was served` })
  }
  if (c.scriptRan === false) signals.push({ logit: 1, reason: "the page's script did not run before the form was sent (robots send forms without running it)" })
  if (c.renderTokenInvalid) signals.push({ logit: 0.7, reason: 'sent without a valid form token (not from the comment form)' })
  if (c.approvedBefore) {
    signals.push({ logit: -Math.min(3, 1 + c.approvedBefore * 0.5), reason: `${plural(c.approvedBefore, 'earlier comment')} from this e-mail address approved` })
  }
  const r = c.reputation
  if (r) {
    reputationSignal(signals, r.email, 'this e-mail address')
    reputationSignal(signals, r.ip, 'this IP address')
    reputationSignal(signals, r.urlDomain, "the commenter's website domain")
    if (r.linkedDomains && f.facts.linkDomains.length) {
      const domains = [...new Set(f.facts.linkDomains)]
      const spammy = domains.filter((d) => only(r.linkedDomains!.get(d), 'spam'))
      const trusted = domains.filter((d) => only(r.linkedDomains!.get(d), 'ham'))
      const proven = spammy.filter((d) => r.linkedDomains!.get(d)!.spam >= INDEPENDENT_REPORTS)
      if (proven.length) {
        signals.push({ logit: Math.min(6, 4 * proven.length), reason: `links to ${proven.slice(0, 3).join(', ')}, reported as spam by ${INDEPENDENT_REPORTS} or more independent senders` })
      } else if (spammy.length) {
        const witnesses = Math.max(...spammy.map((d) => r.linkedDomains!.get(d)!.spam))
        signals.push({ logit: 0.3 * witnesses, reason: `links to ${spammy.slice(0, 3).join(', ')}, seen only in spam (too few independent reports to decide alone)` })
      }
      if (trusted.length && !spammy.length) signals.push({ logit: -0.5, reason: `links only to domains seen in approved comments (${trusted.slice(0, 3).join(', ')})` })
    }
  }
  if (c.articleAgeDays !== undefined && c.articleAgeDays > 365) {
    signals.push({ logit: 0.3, reason: `on an article ${Math.floor(c.articleAgeDays / 365)} year(s) old` })
  }
  return signals
}

/** The scripts each language is written in, by its ISO 639-1 code; a language not listed here says nothing. */
const scriptsOf: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(
    'en fr de es it pt nl sv da no nb nn fi is pl cs sk sl hr bs hu ro tr et lv lt sq ga cy eu ca gl mt vi id ms tl sw af'
      .split(' ')
      .map((code) => [code, ['latin']]),
  ),
  ...Object.fromEntries('ru uk be bg mk kk ky mn'.split(' ').map((code) => [code, ['cyrillic']])),
  sr: ['cyrillic', 'latin'],
  el: ['greek'],
  ...Object.fromEntries('ar fa ur ps'.split(' ').map((code) => [code, ['arabic']])),
  ...Object.fromEntries('hi mr ne'.split(' ').map((code) => [code, ['devanagari']])),
  th: ['thai'],
  ...Object.fromEntries('zh ja ko'.split(' ').map((code) => [code, ['cjk']])),
}

const scriptNames: Readonly<Record<string, string>> = {
  latin: 'Latin',
  greek: 'Greek',
  cyrillic: 'Cyrillic',
  arabic: 'Arabic',
  devanagari: 'Devanagari',
  thai: 'Thai',
  cjk: 'Chinese, Japanese or Korean',
}

/**
 * A comment in a script none of the site's languages is written in (Cyrillic on an English
 * site, say). `blogLang` is Akismet's `blog_lang`: one code or several, `en`, `en_us`, `fr-CA, en`.
 */
function languageSignal(f: Features, blogLang: string | undefined): Signal | undefined {
  const script = f.facts.script
  if (!blogLang || !(script in scriptNames) || f.facts.words < 3) return undefined
  const codes = blogLang.toLowerCase().split(/[\s,]+/).map((tag) => tag.split(/[-_]/)[0]!).filter(Boolean)
  const expected = codes.map((code) => scriptsOf[code])
  if (expected.length === 0 || expected.some((scripts) => !scripts || scripts.includes(script))) return undefined
  return { logit: 1, reason: `written in ${scriptNames[script]} script on a site in ${blogLang.trim()}` }
}

/**
 * Counts are of independent witnesses (spam-filter/ counts a sender, or a text, once). Until
 * `INDEPENDENT_REPORTS` of them agree, reputation only leans (±0.6 log-odds at most), so one client
 * or one careless click cannot decide a verdict through it.
 */
export const INDEPENDENT_REPORTS = 3

/**
 * The shipped model learned mostly from English. On a site in another language, a comment in
 * that language's script is full of words the model never saw, and what it does know (short
 * words, letter groups shared with English spam) pushes ordinary comments toward spam: so on such
 * a site the text model's lean toward spam counts half. Hard signals and links count in full.
 */
function siteLanguageSignal(f: Features, blogLang: string | undefined, textLogit: number): Signal | undefined {
  if (!blogLang || textLogit <= 0 || f.facts.words < 3) return undefined
  const codes = blogLang.toLowerCase().split(/[\s,]+/).map((tag) => tag.split(/[-_]/)[0]!).filter(Boolean)
  if (codes.length === 0 || codes.includes('en')) return undefined
  const script = f.facts.script
  if (!codes.some((code) => scriptsOf[code]?.includes(script))) return undefined
  return { logit: -textLogit / 2, reason: `written in the script of the site's language (${blogLang.trim()}); the text model, trained mostly on English, counts half` }
}

function reputationSignal(signals: Signal[], counts: ReputationCounts | undefined, what: string): void {
  if (!counts || counts.spam + counts.ham === 0) return
  const decisive = Math.max(counts.spam, counts.ham) >= INDEPENDENT_REPORTS
  const logit = Math.max(decisive ? -2 : -0.6, Math.min(decisive ? 3 : 0.6, Math.log((counts.spam + 0.5) / (counts.ham + 0.5))))
  if (Math.abs(logit) < 0.5) return
  const reason =
    logit > 0
      ? `${what} sent ${plural(counts.spam, 'comment')} marked as spam before${counts.ham ? ` (and ${counts.ham} approved)` : ''}`
      : `${what} sent ${plural(counts.ham, 'approved comment')} before`
  signals.push({ logit, reason })
}

const patternReasons: Readonly<Record<PatternKind, string>> = {
  'money-offer': 'promises money',
  percent: 'quotes percentages',
  'call-number': 'asks readers to call or text a number',
  'support-line': 'advertises a support or customer-service line',
  messenger: 'sends readers to a messaging app',
}

/**
 * A reason with its direction and rough weight, in log-odds: "(toward spam, +3.0)". A verdict
 * is the sum of these weights; 0 is even odds.
 */
function weighed(reason: string, logit: number): string {
  const toward = logit > 0 ? 'toward spam' : 'toward a real comment'
  return `${reason} (${toward}, ${logit > 0 ? '+' : '−'}${Math.abs(logit).toFixed(1)})`
}

/** A phrase or link weighs at least this much (log-odds) to be named. */
const NAMED_EVIDENCE = 0.1

/**
 * The text model's strongest evidence, in words: the linked domains, then the phrases (word
 * pairs, or rarer single words; never a lone common word), each with its weight, in the
 * direction the text leans; then what the text looks like; then the text's total.
 */
function textReasons(model: TextModel, f: Features, textLogit: number): string[] {
  const reasons: string[] = []
  const sign = textLogit > 0 ? 1 : -1
  for (const link of f.linkFeatures.slice(0, 3)) {
    const weight = model.weight(link.index)
    reasons.push(Math.abs(weight) >= NAMED_EVIDENCE ? weighed(`links to ${link.domain}`, weight) : `links to ${link.domain} (a domain the model has no weight for)`)
  }
  const phrases: { text: string; weight: number; words: readonly string[] }[] = []
  for (const [index, position] of f.pairs) {
    const weight = model.weight(index) * f.wordValue
    if (weight * sign < NAMED_EVIDENCE) continue
    const pair = [f.wordList[position - 1]!, f.wordList[position]!]
    phrases.push({ text: pair.join(' '), weight, words: pair })
  }
  for (const [index, word] of f.words) {
    const weight = model.weight(index) * f.wordValue
    if (weight * sign >= NAMED_EVIDENCE && !COMMON_WORDS.has(word)) phrases.push({ text: word, weight, words: [word] })
  }
  // The strongest first; a phrase whose words a stronger one already named adds nothing.
  const named: typeof phrases = []
  const used = new Set<string>()
  for (const p of phrases.sort((a, b) => (b.weight - a.weight) * sign)) {
    if (p.words.every((w) => used.has(w))) continue
    named.push(p)
    for (const w of p.words) used.add(w)
    if (named.length === 4) break
  }
  if (named.length) {
    const list = named.map((p) => `"${p.text}" ${p.weight > 0 ? '+' : '−'}${Math.abs(p.weight).toFixed(1)}`).join(', ')
    reasons.push(`${sign > 0 ? 'phrases typical of spam' : 'phrases typical of real comments'}: ${list}`)
  }
  if (textLogit > 0) {
    for (const p of f.patterns) {
      const weight = model.weight(p.index) * f.patternValue
      if (weight > 0.15) reasons.push(weighed(`${patternReasons[p.kind]} ("${p.text}")`, weight))
    }
  }
  if (f.facts.links.length >= 2) reasons.push(`${plural(f.facts.links.length, 'link')} in the text`)
  if (f.facts.capsRatio > 0.7 && f.facts.length > 20) reasons.push('written mostly in capitals')
  if (f.facts.repeatedWordRatio > 0.5 && f.facts.words > 10) reasons.push('the same words repeated over and over')
  reasons.push(weighed(`the text model's total, all words and letter groups: ${Math.round(sigmoid(textLogit) * 100)}% likely to be spam`, textLogit))
  return reasons
}

function only(counts: ReputationCounts | undefined, kind: 'spam' | 'ham'): boolean {
  if (!counts) return false
  return kind === 'spam' ? counts.spam > 0 && counts.ham === 0 : counts.ham > 0 && counts.spam === 0
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}
