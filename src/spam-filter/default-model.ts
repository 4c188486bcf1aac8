/** @module The default spam model that ships with the code, in `models/spam-model.bin`. */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { LinearModel } from '../spam/index.ts'

export const DEFAULT_MODEL_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../models/spam-model.bin')

let loaded: LinearModel | undefined

/** The shipped model, read once per process. */
export function defaultModel(): LinearModel {
  loaded ??= LinearModel.fromBytes(fs.readFileSync(DEFAULT_MODEL_FILE))
  return loaded
}

export function writeModel(model: LinearModel, file = DEFAULT_MODEL_FILE): void {
  const temporary = `${file}.${process.pid}.tmp`
  fs.writeFileSync(temporary, model.toBytes())
  fs.renameSync(temporary, file)
}
