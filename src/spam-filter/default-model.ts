/** @module The default spam model that ships with the code, in `models/spam-model.bin`. */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { LinearModel, type TrainingOptions } from '../spam/index.ts'

export const DEFAULT_MODEL_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../models/spam-model.bin')

/**
 * How the shipped model is trained. It judges comments on sites it has never seen, where its
 * scores are least reliable: measured on comments unlike its corpora, it marked 9–13% of real
 * ones as spam when trained like a site's own model. So a real comment weighs five times a spam
 * one — losing a reader's comment in the spam folder costs more than holding a spam comment
 * for a moderator. (Cross-validation trains with the defaults: it stands for a site's model
 * trained on that site's own comments.)
 */
export const SHIPPED_TRAINING: TrainingOptions = { hamWeight: 5 }

let loaded: LinearModel | undefined

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

export class InvalidModelFile extends Error {
  override readonly name = 'InvalidModelFile'
}

export function writeModel(model: LinearModel, file = DEFAULT_MODEL_FILE): void {
  const temporary = `${file}.${process.pid}.tmp`
  fs.writeFileSync(temporary, model.toBytes())
  fs.renameSync(temporary, file)
}
