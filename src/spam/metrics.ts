/** @module The figures a spam filter is judged by. */

export interface Confusion {
  tp: number
  fp: number
  tn: number
  fn: number
}

export interface Scores {
  readonly n: number
  readonly accuracy: number
  readonly precision: number
  readonly recall: number
  readonly f1: number
  readonly mcc: number
  /** Ham marked spam (or discarded), as a share of all ham. */
  readonly fpr: number
}

export function scoresOf(c: Confusion): Scores {
  const n = c.tp + c.fp + c.tn + c.fn
  const precision = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 0
  const recall = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 0
  const denominator = Math.sqrt((c.tp + c.fp) * (c.tp + c.fn) * (c.tn + c.fp) * (c.tn + c.fn))
  return {
    n,
    accuracy: n ? (c.tp + c.tn) / n : 0,
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    mcc: denominator ? (c.tp * c.tn - c.fp * c.fn) / denominator : 0,
    fpr: c.tn + c.fp ? c.fp / (c.tn + c.fp) : 0,
  }
}
