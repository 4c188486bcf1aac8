/** @module Reading path and query parameters that readers and robots can mangle. */
import { HttpError, NOT_FOUND_MESSAGE } from '../errors.ts'

const positiveIntRe = /^[1-9]\d{0,6}$/

/** A page number from a path: anything but a plain positive integer is "not found". */
export function pageNumberFromPath(raw: string | undefined): number {
  if (raw === undefined) return 1
  if (!positiveIntRe.test(raw)) throw new HttpError(404, 'not_found', NOT_FOUND_MESSAGE)
  return Number(raw)
}

/** A page number from a query string: malformed is a client error the caller can fix. */
export function pageNumberFromQuery(raw: unknown): number {
  if (raw === undefined || raw === '') return 1
  if (typeof raw !== 'string' || !positiveIntRe.test(raw)) throw new HttpError(400, 'invalid_input', 'page must be a positive whole number.')
  return Number(raw)
}

const slugParamRe = /^[\p{Ll}\p{Lo}\p{N}-]{1,200}$/u

/** A slug from a path; anything that cannot be a slug is "not found", never an error. */
export function slugFromPath(raw: string | undefined): string {
  if (raw === undefined || !slugParamRe.test(raw)) throw new HttpError(404, 'not_found', NOT_FOUND_MESSAGE)
  return raw
}
