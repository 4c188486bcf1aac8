/**
 * @module Turns a comment into a sparse, hashed feature vector: words and word pairs, character
 * n-grams, the author's name, e-mail and website, the links in the text and their domains, and
 * the shape of the text (length, shouting, repetition, script). Also returns the facts that the
 * verdict's reasons are phrased from.
 */
import { hashSlice, hashString, pairHash } from './hash.ts'
import type { CommentSample } from './sample.ts'

/** 2^23 slots: the corpora have about 820,000 distinct features, and at 2^20 they collided so often that unseen words borrowed weights. */
export const FEATURE_BITS = 23
const MASK = (1 << FEATURE_BITS) - 1

/** Long texts (e-mails pasted whole) say what they are within the first few thousand characters. */
const MAX_TEXT = 4000
const MAX_CHAR_GRAM_TEXT = 1000
const CHAR_GRAM = 4

export interface TextFacts {
  readonly length: number
  readonly words: number
  readonly links: readonly string[]
  /** Registrable-looking domains of the links (`example.co.uk`, `bit.ly`). */
  readonly linkDomains: readonly string[]
  readonly capsRatio: number
  readonly repeatedWordRatio: number
  readonly script: string
  readonly emailDomain: string | undefined
  readonly urlDomain: string | undefined
}

export interface Features {
  readonly indices: Uint32Array
  readonly values: Float32Array
  /** Word features with their index, so a verdict can name the words that weighed most. */
  readonly words: ReadonlyMap<number, string>
  /** The value each word feature has in the vector (the word group's scale). */
  readonly wordValue: number
  /** Word-pair features with the position of their second word in `wordList` (pairs have `wordValue` too). */
  readonly pairs: ReadonlyMap<number, number>
  /** The words of the text, links left out, lower-cased. */
  readonly wordList: readonly string[]
  /** Each linked domain's feature index (the feature has the value 1 per link to it). */
  readonly linkFeatures: readonly { readonly domain: string; readonly index: number }[]
  /** Kinds of content found (money promised, a number to call…); each has the value `patternValue`. */
  readonly patterns: readonly TextPattern[]
  readonly patternValue: number
  readonly facts: TextFacts
  /**
   * Features online learning leaves alone (see spam/learning.ts): those that say something about
   * almost any comment rather than about this one (the text's shape, kinds of content,
   * punctuation, top-level domains, the most common words and pairs of them), and the links'
   * domains and the author's website, which the reputation counts learn instead, from
   * independent witnesses.
   */
  readonly notLearned: readonly number[]
}

const linkTlds = '(?:com|net|org|info|biz|ru|cn|io|ly|co|me|tk|xyz|top|us|uk|de|in|br)'
const urlRe = new RegExp(String.raw`\b(?:https?:\/\/|www\.)[^\s<>"'()[\]]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.${linkTlds}\b(?:\/[^\s<>"']*)?`, 'giu')
/** What every match of `urlRe` contains; most comments have none, and this is far cheaper to look for. */
const linkHintRe = new RegExp(String.raw`https?:\/\/|www\.|\.${linkTlds}\b`, 'iu')
const wordRe = /[\p{L}\p{N}][\p{L}\p{N}'’]*/gu
const punctRunRe = /([!?$€£*]){2,}|<3|:\)|:\(|:d\b|xd\b/giu
const emailRe = /[^\s@]+@([^\s@]+\.[^\s@]+)/
const tagRe = /<\/?[a-z][^>]{0,500}>/gi
const hrefRe = /<a\s[^>]*href\s*=\s*["']?([^"'\s>]+)[^>]*>/gi
const entityRe = /&(?:[a-z]{2,8}|#\d{1,6});/gi
/** A sum of money: `$5,400`, `£1.50`, `500 dollars`. */
const money = String.raw`(?:[$£€¥₹]\s?\d[\d,.]*k?|\d[\d,.]*\s?(?:usd|eur|gbp|dollars?|pounds?|euros?|bucks))`

export type PatternKind = 'money-offer' | 'percent' | 'call-number' | 'support-line' | 'messenger'

/** A kind of content found in the text, with the words that matched (for the moderator). */
export interface TextPattern {
  readonly kind: PatternKind
  readonly text: string
  /** Its feature index, to look up its weight. */
  readonly index: number
}

const patternRes: readonly { readonly kind: PatternKind; readonly re: RegExp }[] = [
  {
    // Earning, winning or being paid a sum ("I made $5,400 last week", "you have won £1000"), or a sum per hour, week…
    kind: 'money-offer',
    re: new RegExp(
      String.raw`\b(?:made|make|making|earn\w*|paid|income|profit\w*|won|win|winner|prize|cash|bonus|award\w*|receive\w*|get|got)\b[^.!?\n]{0,40}${money}` +
        String.raw`|${money}\s*(?:\+\s*)?(?:an?|per|each|every|/)\s*(?:hour|hr|day|week|wk|month|mo)\b`,
      'u',
    ),
  },
  { kind: 'percent', re: /\d\s?%/ },
  { kind: 'call-number', re: /\b(?:call|text|txt|sms|reply|contact|dial|ring|whats\s?app)\b[^.!?\n]{0,30}\d{4,}/ },
  {
    // "Call our toll-free Norton support number", "avast customer service phone number".
    kind: 'support-line',
    re: /\btoll[- ]?free\b|\b(?:tech(?:nical)?\s+support|customer\s+(?:service|support|care)|help\s*line|help\s*desk)\b[^.!?\n]{0,30}\b(?:number|phone)\b|\b(?:call|dial|contact)\b[^.!?\n]{0,40}\b(?:support|helpline|help\s*desk|customer\s+(?:service|care))\b/,
  },
  { kind: 'messenger', re: /\b(?:whats\s?app|telegram|wickr|viber|kik|wechat|skype|signal app)\b/ },
]
const digitsRe = /^\d+$/

/**
 * Words found in almost any English comment, whatever it is about: a report of one comment must
 * not teach the filter that these mean spam (or ham). Pairs of two of them count as common too.
 * The shipped model's list of frequent features (models/spam-common.bin) adds the rest.
 */
export const COMMON_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but if so as of to in on at by for from with about into over after before than then that this these those ' +
    'i me my mine we us our you your he him his she her it its they them their there here what which who whom whose when where why how ' +
    'is are was were be been being am do does did done have has had having will would shall should can could may might must ' +
    'not no yes yeah ok okay oh well just very really too also only even still more most much many some any all each every ' +
    'one two first last new old good great nice bad best better well thanks thank thx please sorry hi hello hey lol wow ' +
    'like love agree disagree think know see say said get got make made go going come want need look looks right wrong true ' +
    'article story piece post comment comments read reading people time year years day today week way thing things lot ' +
    'whatever anyway indeed maybe perhaps sure point interesting'
  ).split(' '),
)
/** The same words by their hash, which each word's feature computes anyway: cheaper to look up than the string. */
const COMMON_WORD_HASHES: ReadonlySet<number> = new Set([...COMMON_WORDS].map((w) => hashString(w)))
const phoneRe = /(?:\+|\b0)\d[\d -]{7,14}\d\b/

/**
 * @example extractFeatures({ comment_content: 'Check out my channel http://bit.ly/x' }).facts.linkDomains // ['bit.ly']
 */
export function extractFeatures(sample: CommentSample): Features {
  const raw = (sample.comment_content ?? '').slice(0, MAX_TEXT)
  // Markup is a signal of its own; its links count as links, its tags not as words.
  const tags = raw.match(tagRe) ?? []
  const text = raw.replace(hrefRe, ' $1 ').replace(tagRe, ' ').replace(entityRe, ' ').normalize('NFKC')
  const lower = text.toLowerCase()
  const author = (sample.comment_author ?? '').toLowerCase().normalize('NFKC')
  const acc = new Accumulator(tableFor(maxFeatures(Math.max(text.length, lower.length), raw.length, author.length)))

  const links: string[] = []
  const linkDomains: string[] = []
  // Each link counts once: a link written as `<a href="URL">URL</a>` is one link, as is the same
  // address given twice; the domain of an e-mail address in the text is no link at all.
  const seen = new Set<string>()
  const withoutLinks = !linkHintRe.test(lower) ? lower : lower.replace(urlRe, (url: string, offset: number, whole: string) => {
    if (whole[offset - 1] === '@') return ' '
    const same = url.replace(/^[a-z]+:\/\//, '').replace(/^www\d?\./, '').replace(/[/.,;:!?]+$/, '')
    if (seen.has(same)) return ' '
    seen.add(same)
    links.push(url)
    const domain = domainOf(url)
    if (domain) linkDomains.push(domain)
    return ' '
  })
  const linkFeatures: { domain: string; index: number }[] = []
  // Each domain, top-level domain and path counts once: counted per link, a newsletter's 29
  // links to .org summed to +40 log-odds, as if every link were another piece of evidence.
  const linkNames = new Set<string>()
  const linkOnce = (name: string): number | undefined => {
    if (linkNames.has(name)) return undefined
    linkNames.add(name)
    const index = acc.add(name, 1)
    acc.notLearned.push(index)
    return index
  }
  for (const d of linkDomains) {
    const index = linkOnce(`ld:${d}`)
    if (index !== undefined && !linkFeatures.some((l) => l.index === index)) linkFeatures.push({ domain: d, index })
    linkOnce(`ltld:${d.slice(d.lastIndexOf('.') + 1)}`)
  }
  for (const url of links) {
    const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '')
    if (path.length > 1) linkOnce(`lpath:${path.split(/[/?=&#.]/).filter(Boolean).slice(0, 2).join('/')}`)
  }

  // Words and word pairs.
  const words = withoutLinks.match(wordRe) ?? []
  const wordGroup = acc.group('w', 1.0)
  const wordNames = new Map<number, string>()
  const pairs = new Map<number, number>()
  let previous = hashString('^')
  let previousCommon = true
  for (let position = 0; position < words.length; position++) {
    const w = words[position]!
    const h = hashString(w)
    const common = COMMON_WORD_HASHES.has(h)
    const index = wordGroup.addHash(h)
    if (common) acc.notLearned.push(index)
    if (wordNames.size < 200) wordNames.set(index, w)
    const pair = wordGroup.addHash(pairHash(previous, h))
    if (common && previousCommon) acc.notLearned.push(pair)
    else if (position > 0 && pairs.size < 200) pairs.set(pair, position)
    previous = h
    previousCommon = common
  }
  if (words.length) {
    const pair = wordGroup.addHash(pairHash(previous, hashString('$')))
    if (previousCommon) acc.notLearned.push(pair)
  }
  for (const m of lower.matchAll(punctRunRe)) acc.notLearned.push(wordGroup.add(`p:${m[0].slice(0, 3)}`))
  if (phoneRe.test(withoutLinks)) acc.notLearned.push(wordGroup.add('phone'))
  if (/@\w{3,}/.test(withoutLinks)) acc.notLearned.push(wordGroup.add('handle'))
  if (/#\w{3,}/.test(withoutLinks)) acc.notLearned.push(wordGroup.add('hashtag'))
  for (const t of new Set(tags.map((t) => t.toLowerCase().match(/^<\/?([a-z0-9]+)/)?.[1] ?? 'x'))) acc.notLearned.push(wordGroup.add(`tag:${t}`))
  const wordValue = wordGroup.close()

  // Kinds of content that mean the same in any corpus: each sum of money or phone number is a
  // new word, but "promises money" or "asks to text a number" is the same sign wherever it appears.
  const kinds = acc.group('k', 1.0)
  const patterns: TextPattern[] = []
  for (const { kind, re } of patternRes) {
    const match = re.exec(withoutLinks)
    if (!match) continue
    const index = kinds.add(kind)
    acc.notLearned.push(index)
    patterns.push({ kind, text: match[0].replace(/\s+/g, ' ').trim().slice(0, 60), index })
  }
  for (const w of words) if (w.length >= 3 && digitsRe.test(w)) acc.notLearned.push(kinds.add(`num:${Math.min(w.length, 12)}`))
  const patternValue = kinds.close()

  // Character 4-grams across the words catch misspellings and obfuscation (v1agra, ch3ck). 3-
  // and 5-grams beside them cost three times the work and were no better in cross-validation.
  const chars = acc.group('c', 0.5)
  const squashed = ` ${words.join(' ')} `.slice(0, MAX_CHAR_GRAM_TEXT)
  for (let i = 0; i + CHAR_GRAM <= squashed.length; i++) chars.addSlice(squashed, i, i + CHAR_GRAM)
  chars.close()

  // Who wrote it.
  const meta = acc.group('m', 2.0)
  for (const w of author.match(wordRe) ?? []) meta.add(`au:${w}`)
  if (/\d{2,}/.test(author)) acc.notLearned.push(meta.add('au:digits'))
  if (author.split(/\s+/).filter(Boolean).length >= 4) acc.notLearned.push(meta.add('au:long'))
  const emailDomain = emailRe.exec(sample.comment_author_email ?? '')?.[1]?.toLowerCase()
  if (emailDomain) meta.add(`em:${emailDomain}`)
  else acc.notLearned.push(meta.add('em:none'))
  const urlDomain = sample.comment_author_url ? domainOf(sample.comment_author_url) : undefined
  if (urlDomain) acc.notLearned.push(meta.add(`ud:${urlDomain}`))
  else acc.notLearned.push(meta.add('ud:none'))
  // Only pingbacks and trackbacks say something by their type: "comment", "message" or
  // "contact-form" told the training corpora apart, and taught each corpus's share of spam as a prior.
  if (sample.comment_type && /^(?:pingback|trackback)$/.test(sample.comment_type)) acc.notLearned.push(meta.add(`type:${sample.comment_type}`))

  // The shape of the text.
  const shape = textShape(text)
  const capsRatio = shape.letters ? shape.upper / shape.letters : 0
  const uniqueWords = new Set(words).size
  const repeatedWordRatio = words.length ? 1 - uniqueWords / words.length : 0
  const script = shape.script
  // Lengths past 256 characters and 64 words share one bucket: the corpora's long real texts
  // are all e-mails, so beyond that a length told the corpus, not the label.
  acc.notLearned.push(meta.add(`len:${Math.min(8, bucket(Math.log2(1 + raw.length), 1))}`))
  acc.notLearned.push(meta.add(`words:${Math.min(6, bucket(Math.log2(1 + words.length), 1))}`))
  acc.notLearned.push(meta.add(`links:${Math.min(links.length, 5)}`))
  acc.notLearned.push(meta.add(`caps:${bucket(capsRatio, 0.1)}`))
  acc.notLearned.push(meta.add(`rep:${bucket(repeatedWordRatio, 0.1)}`))
  acc.notLearned.push(meta.add(`script:${script}`))
  acc.notLearned.push(meta.add(`digits:${bucket(text.length ? shape.digits / text.length : 0, 0.05)}`))
  acc.notLearned.push(meta.add(`excl:${Math.min(shape.exclamations, 6)}`))
  acc.notLearned.push(meta.add(`lines:${Math.min(shape.lines, 10)}`))
  meta.close()

  const { indices, values } = acc.finish()
  return {
    indices,
    values,
    words: wordNames,
    wordValue,
    pairs,
    wordList: words,
    linkFeatures,
    patterns,
    patternValue,
    facts: { length: raw.length, words: words.length, links, linkDomains, capsRatio, repeatedWordRatio, script, emailDomain, urlDomain },
    notLearned: acc.notLearned,
  }
}

/** The domain of a URL without `www.`, reduced to the part a person registers. */
export function domainOf(url: string): string | undefined {
  const host = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/?#:\s]+)/i.exec(url.trim())?.[1]?.toLowerCase()
  if (!host || !host.includes('.')) return undefined
  const labels = host.replace(/^www\d?\./, '').split('.').filter(Boolean)
  const secondLevel = labels.length >= 3 && /^(co|com|org|net|ac|gov|edu)$/.test(labels[labels.length - 2]!)
  return labels.slice(secondLevel ? -3 : -2).join('.')
}

function bucket(value: number, width: number): number {
  return Math.round(value / width)
}

/** Code point ranges of the scripts worth telling apart, checked without a regex per character. */
const scripts: readonly (readonly [string, number, number])[] = [
  ['latin', 0x41, 0x24f],
  ['greek', 0x370, 0x3ff],
  ['cyrillic', 0x400, 0x52f],
  ['arabic', 0x600, 0x6ff],
  ['devanagari', 0x900, 0x97f],
  ['thai', 0xe00, 0xe7f],
  ['cjk', 0x3040, 0x30ff],
  ['cjk', 0x4e00, 0x9fff],
  ['cjk', 0xac00, 0xd7af],
]

const letterRe = /\p{L}/u
const upperRe = /\p{Lu}/u

/** Counts letters, capitals, digits, "!" and lines, and finds the main script, in one pass. */
function textShape(text: string) {
  let letters = 0
  let upper = 0
  let digits = 0
  let exclamations = 0
  let lines = 1
  const scriptCounts = new Map<string, number>()
  let latin = 0 // ASCII letters, most of most texts, are counted here and added to the map at the end
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) {
      if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) {
        letters++
        if (c <= 0x5a) upper++
        if (letters <= 200) {
          // The map's order breaks ties between scripts, so Latin takes its place at first sight.
          if (latin === 0 && !scriptCounts.has('latin')) scriptCounts.set('latin', 0)
          latin++
        }
      } else if (c >= 0x30 && c <= 0x39) digits++
      else if (c === 0x21) exclamations++
      else if (c === 0x0a) lines++
      continue
    }
    const ch = text[i]!
    if (!letterRe.test(ch)) continue
    letters++
    if (upperRe.test(ch)) upper++
    if (letters <= 200) {
      const script = scripts.find(([, lo, hi]) => c >= lo && c <= hi)?.[0] ?? 'other'
      scriptCounts.set(script, (scriptCounts.get(script) ?? 0) + 1)
    }
  }
  if (latin) scriptCounts.set('latin', (scriptCounts.get('latin') ?? 0) + latin)
  let script = letters ? 'other' : 'none'
  let best = 0
  for (const [name, n] of scriptCounts) if (n > best) [script, best] = [name, n]
  return { letters, upper, digits, exclamations, lines, script }
}

/**
 * At most how many distinct features a comment yields, from the lengths alone: three per link (a
 * link takes at least 4 characters), two per word plus one (words need a separator, so at most
 * one per 2 characters), one per punctuation run (2 characters or more) and per distinct tag (3
 * or more, counted in the raw text), one per character of the first MAX_CHAR_GRAM_TEXT, the
 * author's words, and a few fixed ones (the text's shape, the kinds of content, at most ten
 * lengths of numbers). A tight bound keeps the table small enough to stay in the processor's
 * cache on long texts.
 */
function maxFeatures(textLength: number, rawLength: number, authorLength: number): number {
  const links = 3 * Math.ceil(textLength / 4)
  const words = 2 * Math.ceil((textLength + 1) / 2) + 1
  const runs = Math.ceil(textLength / 2) + Math.ceil(rawLength / 3)
  const grams = Math.min(textLength + 2, MAX_CHAR_GRAM_TEXT)
  return links + words + runs + grams + authorLength + 64
}

/**
 * The features of one comment, by feature index: an open-addressing table at most half full,
 * reused from one comment to the next (the engine is synchronous). Sized to the comment, it
 * stays in the processor's cache, which an array over all 2^23 features would not.
 */
class FeatureTable {
  readonly #bits: number
  readonly #keys: Int32Array // feature index + 1; 0 is an empty slot
  readonly #values: Float32Array
  readonly #marks: Uint32Array
  readonly #used: number[] = []

  constructor(bits: number) {
    this.#bits = bits
    this.#keys = new Int32Array(1 << bits)
    this.#values = new Float32Array(1 << bits)
    this.#marks = new Uint32Array(1 << bits)
  }

  /** The slot of a feature, added with value 0 if it is new; -1 if the table is full (it never is within `maxFeatures`). */
  slot(index: number): number {
    const mask = (1 << this.#bits) - 1
    let s = Math.imul(index, 0x9e3779b1) >>> (32 - this.#bits)
    for (;;) {
      const k = this.#keys[s]!
      if (k === index + 1) return s
      if (k === 0) break
      s = (s + 1) & mask
    }
    if (this.#used.length >= mask) return -1
    this.#keys[s] = index + 1
    this.#used.push(s)
    return s
  }

  add(slot: number, value: number): void {
    this.#values[slot]! += value
  }

  /** Marks a slot for a group; false if the group had marked it already. */
  mark(slot: number, group: number): boolean {
    if (this.#marks[slot] === group) return false
    this.#marks[slot] = group
    return true
  }

  /** The vector, with the bias feature last; empties the table for the next comment. */
  take(): { indices: Uint32Array; values: Float32Array } {
    const n = this.#used.length
    // One allocation for both arrays: a verdict is short enough that allocating counts.
    const buffer = new ArrayBuffer(8 * (n + 1))
    const indices = new Uint32Array(buffer, 0, n + 1)
    const values = new Float32Array(buffer, 4 * (n + 1), n + 1)
    for (let i = 0; i < n; i++) {
      const s = this.#used[i]!
      indices[i] = this.#keys[s]! - 1
      values[i] = this.#values[s]!
      this.#keys[s] = 0
      this.#values[s] = 0
      this.#marks[s] = 0
    }
    this.#used.length = 0
    // A constant feature is the model's bias.
    indices[n] = 0
    values[n] = 1
    return { indices, values }
  }
}

/** One table per size, made when first needed. */
const tables: FeatureTable[] = []

function tableFor(features: number): FeatureTable {
  const bits = Math.max(10, Math.ceil(Math.log2(2 * features)))
  return (tables[bits] ??= new FeatureTable(bits))
}

let generation = 0

/** Collects hashed features by group; each group is scaled to unit length so that long texts do not drown short ones. */
class Accumulator {
  readonly #table: FeatureTable
  readonly notLearned: number[] = []

  constructor(table: FeatureTable) {
    this.#table = table
  }

  add(name: string, value: number): number {
    const index = hashString(name) & MASK
    const slot = this.#table.slot(index)
    if (slot >= 0) this.#table.add(slot, value)
    return index
  }

  group(prefix: string, scale: number): FeatureGroup {
    return new FeatureGroup(this.#table, hashString(prefix), scale)
  }

  finish(): { indices: Uint32Array; values: Float32Array } {
    return this.#table.take()
  }
}

/** Features counted once each however often they occur, hashed with the group's own seed. */
class FeatureGroup {
  readonly #table: FeatureTable
  readonly #seed: number
  readonly #scale: number
  readonly #stamp: number
  readonly #slots: number[] = []

  constructor(table: FeatureTable, seed: number, scale: number) {
    this.#table = table
    this.#seed = seed
    this.#scale = scale
    this.#stamp = generation = (generation + 1) >>> 0 || 1
  }

  add(name: string): number {
    return this.#admit(hashString(name, this.#seed) & MASK)
  }

  addHash(h: number): number {
    return this.#admit((h ^ this.#seed) & MASK)
  }

  /** `text.slice(start, end)`, hashed without making the substring. */
  addSlice(text: string, start: number, end: number): number {
    return this.#admit(hashSlice(text, start, end, this.#seed) & MASK)
  }

  /** Adds the group to the vector; returns the value each member got. */
  close(): number {
    if (this.#slots.length === 0) return 0
    const v = this.#scale / Math.sqrt(this.#slots.length)
    for (const slot of this.#slots) this.#table.add(slot, v)
    return v
  }

  #admit(index: number): number {
    const slot = this.#table.slot(index)
    if (slot >= 0 && this.#table.mark(slot, this.#stamp)) this.#slots.push(slot)
    return index
  }
}
