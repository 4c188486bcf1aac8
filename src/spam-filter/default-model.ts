/** @module The default spam model that ships with the code, in `models/spam-model.bin`. */
import fs from 'node:fs'
import { Invalid } from '../errors.ts'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { FeatureSet, LinearModel, type TrainingOptions } from '../spam/index.ts'

export const DEFAULT_MODEL_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../models/spam-model.bin')

/**
 * How the shipped model is trained. It judges comments on sites it has never seen, where its
 * scores are least reliable, so it is trained for caution rather than for its own corpora:
 * - a real comment weighs far more than a spam one (losing a reader's comment in the spam folder
 *   costs more than holding a spam comment for a moderator);
 * - stronger L2 and the average of five models trained on different 80% shares of the corpus,
 *   so that no weight rests on a few examples of one corpus's quirks (YouTube's spam says
 *   "check", "please" and "thank you"; so do people texting each other);
 * - no evidence scaling: it sharpens the same quirks;
 * - each corpus's spam and ham weigh the same in total, and each corpus as much as another
 *   (`balancedWeights`, applied by `spam train` and `spam eval --leave-one-out`), so that features
 *   telling the corpora apart do not carry a corpus's share of spam as a prior.
 * A real comment weighs ten times a spam one: left out, five times marked 2.8% of SMS and 2.2% of
 * Instagram's real comments spam, ten times 1.7% and 1.6%, at some cost in spam caught (README).
 * Cross-validation trains with the defaults instead: it stands for a site's model trained on
 * that site's own comments.
 */
export const SHIPPED_TRAINING: TrainingOptions = { hamWeight: 10, l2: 1e-4, evidenceScaling: false, ensemble: 5, bagging: true }

let loaded: LinearModel | undefined
let loadedCommon: FeatureSet | undefined

/** Beside each model file, the features frequent in its corpora: `spam-model.bin` → `spam-model-common.bin`. */
export function commonFileOf(modelFile: string): string {
  return modelFile.replace(/(\.bin)?$/, '-common.bin')
}

/** The features frequent in the shipped model's corpora, which online learning leaves alone; read once per process. */
export function defaultCommonFeatures(): FeatureSet {
  loadedCommon ??= FeatureSet.fromBytes(fs.readFileSync(commonFileOf(DEFAULT_MODEL_FILE)))
  return loadedCommon
}

/** The shipped model, read once per process. */
export function defaultModel(): LinearModel {
  loaded ??= LinearModel.fromBytes(fs.readFileSync(DEFAULT_MODEL_FILE))
  return loaded
}

/** A model file written by `spam train --output`. */
export function readModel(file: string): LinearModel {
  let bytes: Buffer
  try {
    bytes = fs.readFileSync(file)
  } catch {
    throw new InvalidModelFile(`cannot read the model file ${file}`)
  }
  try {
    return LinearModel.fromBytes(bytes)
  } catch (error) {
    throw new InvalidModelFile(`${file}: ${(error as Error).message}`)
  }
}

export class InvalidModelFile extends Invalid {
  override readonly name = 'InvalidModelFile'
  constructor(message: string) {
    super(message, 'invalid_model_file')
  }
}

/** Writes a model file and, beside it, its list of frequent features (each replaced whole). */
export function writeModel(model: LinearModel, common: FeatureSet, file = DEFAULT_MODEL_FILE): void {
  writeWhole(file, model.toBytes())
  writeWhole(commonFileOf(file), common.toBytes())
}

function writeWhole(file: string, bytes: Uint8Array): void {
  const temporary = `${file}.${process.pid}.tmp`
  fs.writeFileSync(temporary, bytes)
  fs.renameSync(temporary, file)
}
