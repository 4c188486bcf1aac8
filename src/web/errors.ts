/**
 * @module The one place where what went wrong (a domain error's code) becomes an HTTP status
 * and a message a person understands.
 */

/** What an unknown address answers; such pages get the "Page not found" page. */
export const NOT_FOUND_MESSAGE = 'There is nothing at this address.'

export interface HttpProblem {
  readonly status: number
  readonly code: string
  readonly message: string
}

/** A request the web layer itself refuses (bad page number, unknown route). */
export class HttpError extends Error {
  override readonly name = 'HttpError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** For 429: seconds until the client may try again. */
    readonly retryAfter?: number,
  ) {
    super(message)
  }
}

const statusByCode: Record<string, number> = {
  not_found: 404,
  invalid_article: 400,
  invalid_setting: 400,
  invalid_input: 400,
  comments_closed: 403,
  duplicate_comment: 409,
  rate_limited: 429,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
}

/** Turns anything thrown while handling a request into what the client is told. */
export function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpError) return { status: error.status, code: error.code, message: error.message }
  const e = error as { code?: unknown; statusCode?: unknown; message?: unknown; validation?: unknown }
  if (typeof e.code === 'string' && e.code in statusByCode) {
    return { status: statusByCode[e.code]!, code: e.code, message: String(e.message) }
  }
  // Fastify's own client errors: malformed bodies, wrong content types, oversized payloads …
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, code: clientCode(e.statusCode), message: clientMessage(e.statusCode, String(e.message ?? '')) }
  }
  return { status: 500, code: 'internal', message: 'Something went wrong on our side. It has been logged; please try again later.' }
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
