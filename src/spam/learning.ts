/**
 * @module What online learning may touch, and how far one report may move it. A moderator's
 * decision or an Akismet `submit-spam` teaches the features specific to the reported comment
 * (its rarer words and pairs, its author), never the ones nearly every comment has
 * (the bias, the text's shape, common words and character n-grams), and each report moves each
 * weight a bounded amount. So a report can change the verdict only of comments that share
 * something specific with the reported one.
 */
import type { Features } from './features.ts'
import type { SparseVector } from './model.ts'

/** How far learning may move the shipped weights. */
export interface LearningLimits {
  /** The most one report changes one weight. */
  readonly perReport: number
  /** The most all reports together change one weight. */
  readonly total: number
  /** How far past the line a report tries to put the reported comment (log-odds). */
  readonly margin: number
  readonly learningRate: number
}

/**
 * A weight of 1.5 on a feature of a one-word comment (value 0.58) moves that comment by about
 * 0.9 log-odds per feature; a 30-word comment that shares one rare word with it moves by 0.2.
 */
export const LEARNING_LIMITS: LearningLimits = { perReport: 1.5, total: 4, margin: 2.5, learningRate: 0.5 }

/** A sorted set of feature indices (the features frequent in the training corpora). */
export class FeatureSet {
  readonly #sorted: Uint32Array

  constructor(sorted: Uint32Array = new Uint32Array(0)) {
    this.#sorted = sorted
  }

  get size(): number {
    return this.#sorted.length
  }

  has(index: number): boolean {
    const a = this.#sorted
    let lo = 0
    let hi = a.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const v = a[mid]!
      if (v === index) return true
      if (v < index) lo = mid + 1
      else hi = mid - 1
    }
    return false
  }

  /** "BSC1", then the count and the indices (uint32, little-endian, ascending). */
  toBytes(): Uint8Array {
    const bytes = new Uint8Array(8 + 4 * this.#sorted.length)
    const view = new DataView(bytes.buffer)
    view.setUint32(0, FILE_MAGIC, true)
    view.setUint32(4, this.#sorted.length, true)
    this.#sorted.forEach((index, k) => view.setUint32(8 + 4 * k, index, true))
    return bytes
  }

  static fromBytes(bytes: Uint8Array): FeatureSet {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    if (bytes.byteLength < 8 || view.getUint32(0, true) !== FILE_MAGIC) throw new Error('not a Broadsheet feature list')
    const count = view.getUint32(4, true)
    if (bytes.byteLength !== 8 + 4 * count) throw new Error(`the feature list is ${bytes.byteLength} bytes; its header says ${8 + 4 * count}`)
    const sorted = new Uint32Array(count)
    for (let k = 0; k < count; k++) sorted[k] = view.getUint32(8 + 4 * k, true)
    return new FeatureSet(sorted)
  }
}

const FILE_MAGIC = 0x31435342 // "BSC1", little-endian

/** A feature found in at least this share of one corpus's comments is common. */
export const COMMON_SHARE = 0.01

/**
 * The features found in at least `share` of the vectors of any one of the corpora: common words,
 * pairs and character n-grams of each kind of text. Deterministic (sorted indices).
 * @example frequentFeatures([youtube.map(toTrainingVector), sms.map(toTrainingVector)]).has(0) // true: the bias
 */
export function frequentFeatures(corpora: readonly (readonly SparseVector[])[], share = COMMON_SHARE): FeatureSet {
  const common = new Set<number>()
  for (const vectors of corpora) {
    const df = new Map<number, number>()
    for (const x of vectors) for (const index of x.indices) df.set(index, (df.get(index) ?? 0) + 1)
    const min = Math.max(2, share * vectors.length)
    for (const [index, n] of df) if (n >= min) common.add(index)
  }
  return new FeatureSet(Uint32Array.from([...common].sort((a, b) => a - b)))
}

/**
 * Which of a comment's features learning may move: 1 for its specific features, 0 for the bias,
 * the features the extractor names as not learned and those frequent in the corpora.
 */
export function learnableMask(features: Pick<Features, 'indices' | 'notLearned'>, common: FeatureSet): Uint8Array {
  const notLearned = new Set(features.notLearned)
  const mask = new Uint8Array(features.indices.length)
  features.indices.forEach((index, i) => {
    mask[i] = index === 0 || notLearned.has(index) || common.has(index) ? 0 : 1
  })
  return mask
}

/** For lessons logged before masks were: everything but the bias and the frequent features. */
export function maskFromCommon(x: SparseVector, common: FeatureSet): Uint8Array {
  return learnableMask({ indices: x.indices, notLearned: [] }, common)
}
