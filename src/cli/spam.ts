/** @module `broadsheet spam eval` and `broadsheet spam train`. */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  classify,
  count,
  crossValidate,
  frequentFeatures,
  scoresOf,
  toTrainingVector,
  trainModel,
  type Confusion,
  type LabelledSample,
  type TextModel,
  type Scores,
} from '../spam/index.ts'
import { readCorpora } from '../spam-filter/corpus.ts'
import { commonFileOf, defaultModel, DEFAULT_MODEL_FILE, readModel, SHIPPED_TRAINING, writeModel } from '../spam-filter/default-model.ts'

export const DEFAULT_DATASET = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/data/spam')

const isSpamVerdict = (model: TextModel, sample: LabelledSample) => {
  const v = classify(model, sample).verdict
  return v === 'spam' || v === 'discard'
}

export interface EvalOptions {
  readonly dataset: string
  readonly folds?: number
  /** With `folds`: how many different splits to pool. */
  readonly repeats?: number
  readonly json?: boolean
  /** A model file to score instead of the shipped one. */
  readonly model?: string
}

export function spamEvalCommand(options: EvalOptions): void {
  for (const corpus of readCorpora(options.dataset)) {
    let scores: Scores
    let model: TextModel
    if (options.folds) {
      // Pooled over the repeats, the counts cover each sample once per split; n stays the corpus's size.
      scores = { ...crossValidate(corpus.samples, options.folds, isSpamVerdict, {}, options.repeats ?? 1), n: corpus.samples.length }
      model = trainModel(corpus.samples.map(toTrainingVector))
    } else {
      model = options.model ? readModel(options.model) : defaultModel()
      const confusion: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 }
      for (const s of corpus.samples) count(confusion, s.label, isSpamVerdict(model, s))
      scores = scoresOf(confusion)
    }
    const perSecond = classificationRate(model, corpus.samples)
    const result = { dataset: corpus.name, ...scores, per_second: Math.round(perSecond) }
    if (options.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`)
      continue
    }
    const f = (v: number) => v.toFixed(4)
    process.stdout.write(
      `${corpus.name}: n=${scores.n} accuracy=${f(scores.accuracy)} precision=${f(scores.precision)} recall=${f(scores.recall)} ` +
        `f1=${f(scores.f1)} mcc=${f(scores.mcc)} fpr=${f(scores.fpr)} per_second=${result.per_second}` +
        `${options.folds ? ` (${options.folds}-fold cross-validation${options.repeats && options.repeats > 1 ? `, ${options.repeats} splits pooled` : ''})` : options.model ? ` (model ${options.model})` : ' (shipped model)'}\n`,
    )
  }
}

/** Verdicts a second on one core: features, model and reasons, as a comment gets them. */
function classificationRate(model: TextModel, samples: readonly LabelledSample[]): number {
  const rounds = Math.max(1, Math.ceil(20_000 / samples.length))
  for (const s of samples.slice(0, 200)) classify(model, s)
  const start = process.hrtime.bigint()
  for (let r = 0; r < rounds; r++) for (const s of samples) classify(model, s)
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  return (rounds * samples.length) / seconds
}

export function spamTrainCommand(options: { dataset?: string; output?: string }): void {
  const dataset = options.dataset ?? DEFAULT_DATASET
  const corpora = readCorpora(dataset)
  const samples = corpora.flatMap((c) => c.samples)
  const start = process.hrtime.bigint()
  const vectors = corpora.map((c) => c.samples.map(toTrainingVector))
  const model = trainModel(vectors.flat(), SHIPPED_TRAINING)
  const common = frequentFeatures(vectors)
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const file = options.output ?? DEFAULT_MODEL_FILE
  writeModel(model, common, file)
  process.stdout.write(
    `trained on ${samples.length} samples (${corpora.map((c) => `${c.name} ${c.samples.length}`).join(', ')}) in ${seconds.toFixed(1)} s; ` +
      `wrote ${file} and ${commonFileOf(file)} (${common.size} frequent features)\n`,
  )
}
