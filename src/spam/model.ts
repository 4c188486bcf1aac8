/**
 * @module The statistical text model: logistic regression over hashed features. It is trained
 * in passes over a corpus (AdaGrad), and it learns from one decision at a time afterwards.
 */
import { FEATURE_BITS } from './features.ts'
import { seededRandom } from './hash.ts'

export interface SparseVector {
  readonly indices: Uint32Array
  readonly values: Float32Array
}

export interface LabelledVector extends SparseVector {
  /** 1 spam, 0 ham */
  readonly y: 0 | 1
}

export interface TrainingOptions {
  readonly epochs?: number
  readonly learningRate?: number
  readonly l2?: number
  readonly seed?: number
  /** Weight of a ham example relative to spam: above 1 makes the model wary of false positives. */
  readonly hamWeight?: number
  /** Models trained in different orders and averaged into one (steadier, and no slower to use). */
  readonly bags?: number
}

export const DEFAULT_TRAINING: Required<TrainingOptions> = { epochs: 12, learningRate: 0.3, l2: 1e-6, seed: 20261125, hamWeight: 1.5, bags: 1 }

export class LinearModel {
  readonly weights: Float32Array

  constructor(weights?: Float32Array) {
    this.weights = weights ?? new Float32Array(1 << FEATURE_BITS)
  }

  /** The log-odds that the comment is spam. */
  logit(x: SparseVector): number {
    let z = 0
    const w = this.weights
    for (let i = 0; i < x.indices.length; i++) z += w[x.indices[i]!]! * x.values[i]!
    return z
  }

  /** Each feature's contribution to the log-odds (for explanations). */
  contribution(index: number, value: number): number {
    return this.weights[index]! * value
  }

  /**
   * Learns one decision at once: a gradient step, then, if the model would still decide the
   * other way, the smallest change along this comment's features that puts it `margin` past
   * the line. So a moderator's correction takes effect on the very next identical comment.
   */
  learnOne(x: SparseVector, y: 0 | 1, margin = 2.5, learningRate = 0.5): void {
    const z = this.logit(x)
    const g = sigmoid(z) - y
    let norm = 0
    for (let i = 0; i < x.values.length; i++) norm += x.values[i]! * x.values[i]!
    if (norm === 0) return
    for (let i = 0; i < x.indices.length; i++) this.weights[x.indices[i]!]! -= (learningRate * g * x.values[i]!) / Math.sqrt(norm)
    const target = y === 1 ? margin : -margin
    const after = this.logit(x)
    if ((y === 1 && after < target) || (y === 0 && after > target)) {
      const step = (target - after) / norm
      for (let i = 0; i < x.indices.length; i++) this.weights[x.indices[i]!]! += step * x.values[i]!
    }
  }

  /** Serialises the weights (little-endian float32) for the model file. */
  toBytes(): Uint8Array {
    return new Uint8Array(this.weights.buffer.slice(0))
  }

  static fromBytes(bytes: Uint8Array): LinearModel {
    if (bytes.byteLength !== (1 << FEATURE_BITS) * 4) {
      throw new Error(`a spam model has ${(1 << FEATURE_BITS) * 4} bytes; this one has ${bytes.byteLength}`)
    }
    const copy = new Uint8Array(bytes.byteLength)
    copy.set(bytes)
    return new LinearModel(new Float32Array(copy.buffer))
  }
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z))
}

/**
 * Trains a model from labelled vectors with AdaGrad, in a reproducible order.
 * @example const model = trainModel(samples.map((s) => ({ ...extractFeatures(s), y: s.label === 'spam' ? 1 : 0 })))
 */
export function trainModel(examples: readonly LabelledVector[], options: TrainingOptions = {}): LinearModel {
  const o = { ...DEFAULT_TRAINING, ...options }
  if (o.bags <= 1) return trainOne(examples, o)
  const average = new LinearModel()
  for (let b = 0; b < o.bags; b++) {
    const bag = trainOne(examples, { ...o, seed: o.seed + b * 7919 })
    for (let i = 0; i < bag.weights.length; i++) average.weights[i]! += bag.weights[i]! / o.bags
  }
  return average
}

function trainOne(examples: readonly LabelledVector[], o: Required<TrainingOptions>): LinearModel {
  const model = new LinearModel()
  const w = model.weights
  const g2 = new Float32Array(w.length)
  const random = seededRandom(o.seed)
  const order = examples.map((_, i) => i)
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[order[i], order[j]] = [order[j]!, order[i]!]
    }
    for (const k of order) {
      const x = examples[k]!
      const weight = x.y === 0 ? o.hamWeight : 1
      const g = (sigmoid(model.logit(x)) - x.y) * weight
      for (let i = 0; i < x.indices.length; i++) {
        const index = x.indices[i]!
        const grad = g * x.values[i]! + o.l2 * w[index]!
        g2[index]! += grad * grad
        w[index]! -= (o.learningRate * grad) / (Math.sqrt(g2[index]!) + 1e-8)
      }
    }
  }
  return model
}
