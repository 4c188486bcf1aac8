/**
 * @module The site's spam filter: the pure engine (spam/) with the state it needs — the shipped
 * model plus what this site (or this Akismet key's site) learned from its moderators, and the
 * reputation of addresses and domains. Every process replays the shared learning log, so a
 * decision taken in one process changes the next verdict in all of them.
 */
import { createHash } from 'node:crypto'
import {
  AdaptedModel,
  classify,
  domainOf,
  extractFeatures,
  FEATURE_BITS,
  FeatureSet,
  learnableMask,
  maskFromCommon,
  type LinearModel,
  type CommentContext,
  type CommentSample,
  type Label,
  type Reputation,
  type ReputationCounts,
  type SparseVector,
  type Thresholds,
  type Verdict,
} from '../spam/index.ts'
import type { DB } from '../storage/database.ts'
import * as store from './spam-filter-store.ts'
import type { ReputationKind } from './spam-filter-store.ts'

/** `site` for the site's own comments; each Akismet key has a scope of its own. */
export type Scope = string
export const SITE_SCOPE: Scope = 'site'

interface ScopeModel {
  readonly model: AdaptedModel
  lastLogId: number
}

export class SpamFilter {
  readonly #db: DB
  readonly #base: () => LinearModel
  readonly #common: () => FeatureSet
  readonly #models = new Map<Scope, ScopeModel>()

  /**
   * `base` gives the shipped model; each scope keeps what it learned on top of it. `common` gives
   * the features frequent in the shipped model's corpora, which learning leaves alone.
   */
  constructor(db: DB, base: () => LinearModel, common: () => FeatureSet = () => new FeatureSet()) {
    this.#db = db
    this.#base = base
    this.#common = common
  }

  /**
   * The verdict on a comment, with reasons.
   * @example const verdict = await filter.check(SITE_SCOPE, { comment_content: 'Nice piece' }, { secondsToSubmit: 40 }, thresholds)
   */
  async check(scope: Scope, sample: CommentSample, context: Omit<CommentContext, 'reputation'>, thresholds: Thresholds): Promise<Verdict> {
    const model = await this.#modelFor(scope)
    const features = extractFeatures(sample)
    const reputation = await this.#reputation(scope, sample, features.facts.linkDomains)
    return classify(model, sample, { ...context, reputation }, thresholds, features)
  }

  /** Learns a moderator's (or an Akismet client's) decision: the model and the reputations, at once. */
  async learn(scope: Scope, sample: CommentSample, label: Label, now = new Date()): Promise<void> {
    await this.#db.transaction().execute((trx) => this.record(trx, scope, sample, label, now))
    await this.catchUp(scope)
  }

  /**
   * Writes a lesson to the shared learning log through `q` (the caller's transaction, so that the
   * lesson stands or falls with the decision it comes from). It takes effect at `catchUp`. A text
   * this scope has already learned with this label teaches nothing more, and each reputation
   * count grows only with a new, independent witness (see `witnessOf`).
   */
  async record(q: DB, scope: Scope, sample: CommentSample, label: Label, now: Date): Promise<void> {
    const features = extractFeatures(sample)
    const fingerprint = fingerprintOf(sample.comment_content)
    if (!(await store.hasLearned(q, scope, fingerprint, label))) {
      const mask = learnableMask(features, this.#common())
      await store.appendLogEntry(q, scope, label, encodeVector(features, mask), now.toISOString(), fingerprint)
    }
    for (const k of reputationKeys(sample, features.facts.linkDomains)) {
      if (await store.addWitness(q, scope, k.kind, k.hash, label, witnessOf(k.kind, sample, fingerprint))) await store.countReputation(q, scope, k.kind, k.hash, label)
    }
  }

  /** Replays what any process has logged since this one last looked. */
  async catchUp(scope: Scope): Promise<void> {
    await this.#modelFor(scope)
  }

  /** Forgets the reputation of a person's e-mail address and IP addresses (erasure requests), through `q`. */
  async forget(who: { email: string; ips: readonly string[] }, q: DB = this.#db): Promise<void> {
    const hashes = [hashKey('email', who.email), ...who.ips.map((ip) => hashKey('ip', ip))]
    await store.forgetReputation(q, hashes)
  }

  async #modelFor(scope: Scope): Promise<AdaptedModel> {
    let state = this.#models.get(scope)
    if (!state) {
      state = { model: new AdaptedModel(this.#base()), lastLogId: 0 }
      this.#models.set(scope, state)
    }
    const entries = await store.logEntriesAfter(this.#db, scope, state.lastLogId)
    for (const e of entries) {
      const lesson = decodeVector(e.vector)
      if (lesson) state.model.learnOne(lesson.vector, e.label === 'spam' ? 1 : 0, lesson.mask ?? maskFromCommon(lesson.vector, this.#common()))
      state.lastLogId = e.id
    }
    return state.model
  }

  async #reputation(scope: Scope, sample: CommentSample, linkDomains: readonly string[]): Promise<Reputation> {
    const keys = reputationKeys(sample, linkDomains)
    const rows = await store.reputationRows(this.#db, scope, keys)
    const find = (kind: ReputationKind, hash: string | undefined): ReputationCounts | undefined => {
      const row = rows.find((r) => r.kind === kind && r.key_hash === hash)
      return row && { spam: row.spam, ham: row.ham }
    }
    const hashOf = (kind: ReputationKind) => keys.find((k) => k.kind === kind)?.hash
    const linked = new Map<string, ReputationCounts>()
    for (const d of new Set(linkDomains)) {
      const counts = find('link_domain', hashKey('link_domain', d))
      if (counts) linked.set(d, counts)
    }
    const ip = find('ip', hashOf('ip'))
    const email = find('email', hashOf('email'))
    const urlDomain = find('url_domain', hashOf('url_domain'))
    return { ...(ip && { ip }), ...(email && { email }), ...(urlDomain && { urlDomain }), linkedDomains: linked }
  }
}

/** Reputation is kept under one-way hashes, never the address itself. */
function hashKey(kind: ReputationKind, value: string): string {
  return createHash('sha256').update(`${kind}\0${value.trim().toLowerCase()}`).digest('base64url').slice(0, 32)
}

function reputationKeys(sample: CommentSample, linkDomains: readonly string[]): { kind: ReputationKind; hash: string }[] {
  const keys: { kind: ReputationKind; hash: string }[] = []
  if (sample.user_ip) keys.push({ kind: 'ip', hash: hashKey('ip', sample.user_ip) })
  if (sample.comment_author_email) keys.push({ kind: 'email', hash: hashKey('email', sample.comment_author_email) })
  const urlDomain = sample.comment_author_url ? domainOf(sample.comment_author_url) : undefined
  if (urlDomain) keys.push({ kind: 'url_domain', hash: hashKey('url_domain', urlDomain) })
  for (const d of new Set(linkDomains)) keys.push({ kind: 'link_domain', hash: hashKey('link_domain', d) })
  return keys
}

/** The reported text, case and spacing ignored. */
function fingerprintOf(text: string): string {
  return createHash('sha256').update(text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim()).digest('base64url').slice(0, 32)
}

/**
 * Who vouches for a report's count. For a domain, the sender of the reported comment (its IP, or
 * its address, or its text when it has neither): three reports of links to one domain count as
 * three only when three senders sent them. For an IP or an address, the text: one comment
 * reported again and again counts once. Senders are hashed as their own reputation keys are, so
 * that erasing a person also erases what they witnessed.
 */
function witnessOf(kind: ReputationKind, sample: CommentSample, fingerprint: string): string {
  if (kind === 'ip' || kind === 'email') return `text:${fingerprint}`
  if (sample.user_ip) return hashKey('ip', sample.user_ip)
  if (sample.comment_author_email) return hashKey('email', sample.comment_author_email)
  return `text:${fingerprint}`
}

/**
 * Vectors are logged with the feature size they were made for. An entry made for another size
 * cannot be replayed (its hashes no longer name the same features) and is skipped; the
 * reputation counts it also made still count. `m23:` entries carry the mask of learnable
 * features; `f23:` ones, from before masks, are replayed with the frequent features masked.
 */
const VECTOR_VERSION = `f${FEATURE_BITS}:`
const MASKED_VERSION = `m${FEATURE_BITS}:`

const base64Of = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')

function encodeVector(v: SparseVector, mask: Uint8Array): string {
  return `${MASKED_VERSION}${base64Of(v.indices)}.${base64Of(v.values)}.${base64Of(mask)}`
}

function decodeVector(logged: string): { vector: SparseVector; mask: Uint8Array | undefined } | undefined {
  const masked = logged.startsWith(MASKED_VERSION)
  if (!masked && !logged.startsWith(VECTOR_VERSION)) return undefined
  const [i, v, m] = logged.slice(VECTOR_VERSION.length).split('.')
  const bytes = (b64: string) => {
    const b = Buffer.from(b64, 'base64')
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)
  }
  const vector = { indices: new Uint32Array(bytes(i!)), values: new Float32Array(bytes(v!)) }
  const mask = masked && m !== undefined ? new Uint8Array(bytes(m)) : undefined
  if (vector.indices.length !== vector.values.length || (mask && mask.length !== vector.indices.length)) return undefined
  return { vector, mask }
}
