/**
 * @module The one place where what went wrong becomes what the client is told: a domain error's
 * kind becomes an HTTP status, a schema's complaint a sentence naming the field.
 */
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { DomainError, NotFound, RateLimited, type ErrorKind } from '../errors.ts'

/** What an unknown address answers; such pages get the "Page not found" page. */
export const NOT_FOUND_MESSAGE = 'There is nothing at this address.'

export interface HttpProblem {
  readonly status: number
  readonly code: string
  readonly message: string
  /** For 429 and 503: seconds until the client may try again. */
  readonly retryAfter?: number
}

const statusByKind: Record<ErrorKind, number> = {
  invalid: 400,
  too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
}

/** What an address that names nothing throws. */
export const notFound = (message = NOT_FOUND_MESSAGE) => new NotFound(message)

/** Turns anything thrown while handling a request into what the client is told. */
export function toProblem(error: unknown): HttpProblem {
  if (error instanceof DomainError) {
    return { status: statusByKind[error.kind], code: error.code, message: error.message, ...(error instanceof RateLimited && { retryAfter: error.retryAfter }) }
  }
  if (hasZodFastifySchemaValidationErrors(error)) return validationProblem(error)
  const storage = storageProblem(error)
  if (storage) return storage
  // Fastify's own client errors: malformed bodies, wrong content types, oversized payloads …
  const e = error as { statusCode?: unknown; message?: unknown; code?: unknown }
  if (typeof e.code === 'string' && e.code.startsWith('FST_CSRF_')) {
    return { status: 403, code: 'stale_form', message: 'This form has expired or did not come from this site (its security token is missing or out of date). Go back, reload the page and send it again.' }
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, code: clientCode(e.statusCode), message: clientMessage(e.statusCode, String(e.message ?? '')) }
  }
  return { status: 500, code: 'internal', message: 'Something went wrong on our side. It has been logged; please try again later.' }
}

/**
 * What the database says when it cannot take a write now, though nothing is wrong with the request:
 * SQLite's result codes (extended ones start the same: SQLITE_IOERR_WRITE, SQLITE_BUSY_SNAPSHOT …)
 * and PostgreSQL's SQLSTATEs. The transaction was rolled back, so nothing was half written; the
 * client is told to come back.
 */
const busySqliteRe = /^SQLITE_(?:BUSY|LOCKED)/
const failingSqliteRe = /^SQLITE_(?:FULL|READONLY|IOERR|CANTOPEN|PROTOCOL)/
const busyPostgres = new Set([
  '55P03', // lock_not_available
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '57P03', // cannot_connect_now (starting up, shutting down)
  '53300', // too_many_connections
])
const failingPostgres = new Set([
  '53100', // disk_full
  '53200', // out_of_memory
  '25006', // read_only_sql_transaction (a standby, or default_transaction_read_only)
  '58030', // io_error
])

/** Seconds a client waits before trying again: a lock passes quickly, a full disk needs a person. */
const RETRY_BUSY_SECONDS = 2
const RETRY_FAILING_SECONDS = 30

function storageProblem(error: unknown): HttpProblem | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code !== 'string') continue
    if (busySqliteRe.test(code) || busyPostgres.has(code)) {
      return { status: 503, code: 'database_busy', message: 'The site is busy saving other changes. Nothing was saved; please try again in a moment.', retryAfter: RETRY_BUSY_SECONDS }
    }
    if (failingSqliteRe.test(code) || failingPostgres.has(code)) {
      return { status: 503, code: 'storage_unavailable', message: 'The site cannot save anything just now. Nothing was saved; please try again later.', retryAfter: RETRY_FAILING_SECONDS }
    }
  }
  return undefined
}

type ValidationFailure = Parameters<typeof hasZodFastifySchemaValidationErrors>[0] & {
  validation: { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }[]
  validationContext?: string
}

/** The first thing wrong, as `field: what is wrong.`; a path that names nothing is a 404. */
function validationProblem(error: ValidationFailure): HttpProblem {
  const issue = error.validation[0]!
  const message = issue.message ?? 'is not valid'
  if (error.validationContext === 'params') return { status: 404, code: 'not_found', message }
  const keys = issue.params.keys
  const field = issue.keyword === 'unrecognized_keys' && Array.isArray(keys) ? String(keys[0]) : issue.instancePath.slice(1).replaceAll('/', '.')
  return { status: 400, code: 'invalid_input', message: field ? `${field}: ${message}.` : `${message}.` }
}

function clientCode(status: number): string {
  if (status === 413) return 'too_large'
  if (status === 415) return 'unsupported_media_type'
  if (status === 429) return 'rate_limited'
  return status === 404 ? 'not_found' : 'invalid_input'
}

function clientMessage(status: number, message: string): string {
  if (status === 413) return 'The request is too large.'
  if (status === 415) return 'This content type is not accepted here.'
  return message || 'The request could not be understood.'
}
