/** @module Measuring the engine on labelled samples: K-fold cross-validation and plain scoring. */
import { extractFeatures } from './features.ts'
import { seededRandom } from './hash.ts'
import { scoresOf, type Confusion, type Scores } from './metrics.ts'
import { trainModel, type LabelledVector, type TextModel, type TrainingOptions } from './model.ts'
import type { CommentSample, Label } from './sample.ts'

export type LabelledSample = CommentSample & { readonly label: Label }

/** Turns a labelled sample into what the model trains on. */
export function toTrainingVector(sample: LabelledSample): LabelledVector {
  const f = extractFeatures(sample)
  return { indices: f.indices, values: f.values, y: sample.label === 'spam' ? 1 : 0 }
}

/**
 * Splits the samples into K folds (stratified by label, in a seeded order), trains on K−1 and
 * scores the one left out, K times. With `repeats` above 1 it does so again with other splits and
 * pools the counts, so that one lucky or unlucky split does not decide the figures. `isSpam`
 * decides from a model and a sample.
 */
export function crossValidate(
  samples: readonly LabelledSample[],
  folds: number,
  isSpam: (model: TextModel, sample: LabelledSample) => boolean,
  options: TrainingOptions = {},
  repeats = 1,
): Scores {
  const vectors = samples.map(toTrainingVector)
  const confusion: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 }
  for (let repeat = 0; repeat < repeats; repeat++) {
    const foldOf = stratifiedFolds(samples, folds, (options.seed ?? 7) + repeat)
    for (let fold = 0; fold < folds; fold++) {
      const model = trainModel(vectors.filter((_, i) => foldOf[i] !== fold), options)
      samples.forEach((s, i) => {
        if (foldOf[i] === fold) count(confusion, s.label, isSpam(model, s))
      })
    }
  }
  return scoresOf(confusion)
}

function stratifiedFolds(samples: readonly LabelledSample[], folds: number, seed: number): number[] {
  const random = seededRandom(seed)
  const foldOf = new Array<number>(samples.length)
  for (const label of ['spam', 'ham'] as const) {
    const members = samples.map((s, i) => (s.label === label ? i : -1)).filter((i) => i >= 0)
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[members[i], members[j]] = [members[j]!, members[i]!]
    }
    members.forEach((sampleIndex, k) => (foldOf[sampleIndex] = k % folds))
  }
  return foldOf
}

export function count(c: Confusion, label: Label, predictedSpam: boolean): void {
  if (label === 'spam') predictedSpam ? c.tp++ : c.fn++
  else predictedSpam ? c.fp++ : c.tn++
}

/**
 * The examples of several corpora, weighted so that within each corpus spam and ham count the
 * same in total, and each corpus counts as much as the others: a corpus that is half spam and one
 * that is an eighth spam then teach no prior through the features that tell corpora apart (the
 * length of an SMS, an e-mail's sender), and a large corpus does not drown a small one. The mean
 * weight stays 1.
 */
export function balancedWeights(corpora: readonly (readonly LabelledVector[])[]): LabelledVector[] {
  const total = corpora.reduce((n, c) => n + c.length, 0)
  const out: LabelledVector[] = []
  for (const corpus of corpora) {
    const spam = corpus.filter((x) => x.y === 1).length
    const ham = corpus.length - spam
    const share = total / corpora.length / 2
    for (const x of corpus) {
      const n = x.y === 1 ? spam : ham
      out.push({ ...x, weight: share / n })
    }
  }
  return out
}
