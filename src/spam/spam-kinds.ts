/**
 * @module The kinds of spam that comment sections get and the training corpora lack: pharmacy,
 * casino and betting, essay mills, fund "recovery" and crypto or forex testimonials, SEO anchor
 * text, self-promotion, and letters disguised with look-alikes from other alphabets. The text
 * model cannot learn these from corpora that hold none of them, so each is a fixed prior added to
 * the verdict (see verdict.ts), written as a rule in our own words and named in the reasons.
 *
 * No public list fitted (see the README): the maintained npm lists are of disposable e-mail
 * domains, and the comment blocklists are not published as packages. A rule names the offer,
 * not the topic: a reader writing "the casino vote is tonight" matches nothing; "best online
 * casino bonus" does.
 */

export type SpamKind = 'pharmacy' | 'gambling' | 'essay-mill' | 'recovery-scam' | 'investment-testimonial' | 'seo-anchor' | 'self-promotion' | 'look-alike-letters'

export interface SpamKindMatch {
  readonly kind: SpamKind
  /** The words that matched, for the moderator. */
  readonly text: string
}

/** What a moderator reads for each kind, and the log-odds it adds (a hint, not a verdict on its own). */
export const SPAM_KINDS: Readonly<Record<SpamKind, { readonly reason: string; readonly logit: number }>> = {
  pharmacy: { reason: 'sells prescription drugs', logit: 2 },
  gambling: { reason: 'advertises a casino or betting', logit: 2 },
  'essay-mill': { reason: 'offers to write essays or homework', logit: 2 },
  'recovery-scam': { reason: 'offers to recover lost money or crypto (a known scam)', logit: 2.5 },
  'investment-testimonial': { reason: 'a crypto or forex trading testimonial', logit: 2 },
  'seo-anchor': { reason: 'a link whose text is a sales phrase (SEO anchor text)', logit: 1.5 },
  'self-promotion': { reason: 'asks readers to visit, follow or subscribe to the writer', logit: 1 },
  'look-alike-letters': { reason: 'words written with look-alike letters from another alphabet', logit: 2 },
}

const drugs = String.raw`viagra|cialis|levitra|kamagra|tadalafil|sildenafil|tramadol|xanax|valium|ambien|adderall|oxycodone|oxycontin|phentermine|hydrocodone|alprazolam|modafinil|clonazepam`
const rules: readonly { readonly kind: Exclude<SpamKind, 'look-alike-letters' | 'seo-anchor'>; readonly re: RegExp }[] = [
  {
    kind: 'pharmacy',
    re: new RegExp(
      String.raw`\b(?:buy|order|cheap|discount|generic)\s+(?:\w+\s+){0,2}(?:${drugs})\b|\b(?:${drugs})\b[^.!?\n]{0,40}\b(?:online|no prescription|without (?:a )?prescription|overnight|cheap|\d+\s?mg)\b` +
        String.raw`|\b(?:canadian|mexican|cheap|best|trusted) online pharmacy\b|\bno prescription (?:needed|required)\b`,
    ),
  },
  {
    kind: 'gambling',
    re: /\b(?:online|best|new|top|live|crypto|mobile)\s+(?:casino|casinos|slots?|poker|betting|sportsbook|roulette|blackjack|baccarat)\b|\b(?:casino|slots?|betting|deposit)\s+bonus(?:es)?\b|\bfree spins\b|\bno deposit bonus\b|\bbonus code\b|\bbetting (?:tips|site|sites)\b|\bjudi (?:online|slot|bola)\b|\bslot gacor\b/,
  },
  {
    kind: 'essay-mill',
    re: /\b(?:write|writes|writing|do) my (?:essay|paper|homework|assignment|dissertation|thesis)\b|\b(?:essay|paper|dissertation|thesis|assignment|homework) (?:writing )?(?:service|services|writers?|help)\b|\b(?:custom|cheap|buy|plagiarism[- ]free) (?:essays?|papers?|dissertations?)\b/,
  },
  {
    kind: 'recovery-scam',
    re: /\b(?:recover|recovered|recovering|retrieve|retrieved|get back|got back)\b[^.!?\n]{0,40}\b(?:lost|stolen|scammed)\b[^.!?\n]{0,30}\b(?:funds?|money|crypto|bitcoins?|btc|usdt|wallet|investments?)\b|\b(?:funds?|crypto|bitcoin|asset) recovery\b|\brecovery (?:expert|specialist|hacker|agency|company|team)\b|\b(?:hire|contact) (?:a |an |the )?(?:legit |genuine |ethical )?hacker\b/,
  },
  {
    kind: 'investment-testimonial',
    re: /\b(?:invest(?:ed|ing)?|trad(?:e|ed|ing)|mining)\b[^.!?\n]{0,50}\b(?:bitcoin|btc|crypto(?:currency)?|forex|binary options?|usdt|ethereum)\b[^.!?\n]{0,60}\b(?:profit|profits|returns?|earn(?:ed|ings)?|made|got|received|withdraw(?:al|n)?)\b|\b(?:account manager|expert trader|trading expert|trading mentor|trade manager|signal provider)\b|\b(?:thanks?(?: you)?|grateful|recommend(?:ed)?|contact|reach out to)\b[^.!?\n]{0,20}\b(?:mr|mrs|ms|miss|dr)\.? \w+[^.!?\n]{0,60}\b(?:trading|trader|invest\w*|profits?|crypto|forex|bitcoin)\b/,
  },
  {
    kind: 'self-promotion',
    re: /\b(?:check out|visit|view|watch)\s+my\s+(?:new\s+)?(?:channel|blog|website|site|page|profile|videos?|music|songs?|shop|store)\b|\b(?:subscribe|sub)\s+(?:to\s+)?(?:my|me)\b|\bfollow me (?:on|at)\b|\b(?:check out|visit) (?:our|this) (?:website|site|shop|store|channel)\b/,
  },
]

/** A link, in HTML or BBCode, with the text a reader sees. */
const anchorRe = /<a\s[^>]*href\s*=\s*["']?[^"'\s>]+[^>]*>([^<]{2,80})<\/a>|\[url=[^\]\s]+\]([^[]{2,80})\[\/url\]/giu
/** Sales words that a person linking to a source rarely writes as the link's text. */
const salesAnchorRe = /\b(?:buy|cheap|cheapest|best|discount|affordable|top|sale|loans?|payday|casino|essays?|seo|replica|escort|pills|coupon|promo|deals?|services?|repair|cleaning|movers?|lawyer|attorney|dentist|plumber|plumbing|near me|for sale)\b/

/** Look-alike letters of other alphabets that spammers put among Latin ones, folded to the Latin letter. */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', һ: 'h', ԁ: 'd', ԛ: 'q', ԝ: 'w', ӏ: 'l', в: 'b', к: 'k', м: 'm', н: 'h', т: 't',
  α: 'a', ο: 'o', ν: 'v', ι: 'i', κ: 'k', τ: 't', ρ: 'p', υ: 'u', χ: 'x', ε: 'e', β: 'b', η: 'n',
}
const lookAlikeRe = /[\u0370-\u03ff\u0400-\u052f]/
const latinRe = /[a-z]/
const wordRe = /[\p{L}\p{N}]+/gu
/** Single letters or digits separated by spaces, dots, dashes or stars: "c a s i n o", "v.i.a.g.r.a". */
const spacedRe = /(?<![\p{L}\p{N}])(?:[\p{L}\p{N}][\s.*_-]){3,}[\p{L}\p{N}](?![\p{L}\p{N}])/gu

/**
 * The spam kinds a text shows, each once, in the order of `SPAM_KINDS`.
 * @example spamKinds('Buy cheap viagra online, no prescription needed') // [{ kind: 'pharmacy', text: 'buy cheap viagra' }]
 */
export function spamKinds(content: string): SpamKindMatch[] {
  const raw = content.slice(0, 4000)
  const found: SpamKindMatch[] = []
  const lower = raw.normalize('NFKC').toLowerCase()
  let text = lower
  // Latin words with letters of another alphabet in them are disguised; folded, they read as meant.
  if (lookAlikeRe.test(lower)) {
    const mixed: string[] = []
    text = lower.replace(wordRe, (word) => {
      if (!latinRe.test(word) || !lookAlikeRe.test(word)) return word
      mixed.push(word)
      return [...word].map((c) => LOOK_ALIKES[c] ?? c).join('')
    })
    if (mixed.length) found.push({ kind: 'look-alike-letters', text: mixed.slice(0, 3).join(', ') })
  }
  // Spaced-out letters are read joined up ("c a s i n o" → "casino") as well as apart.
  const joined = text.replace(spacedRe, (run) => run.replace(/[\s.*_-]/g, ''))
  for (const { kind, re } of rules) {
    const match = re.exec(text) ?? (joined === text ? null : re.exec(joined))
    if (match) found.push({ kind, text: match[0].replace(/\s+/g, ' ').trim().slice(0, 60) })
  }
  for (const m of raw.matchAll(anchorRe)) {
    const anchor = (m[1] ?? m[2] ?? '').toLowerCase()
    if (anchor.split(/\s+/).filter(Boolean).length >= 2 && salesAnchorRe.test(anchor)) {
      found.push({ kind: 'seo-anchor', text: anchor.trim().slice(0, 60) })
      break
    }
  }
  return found
}
