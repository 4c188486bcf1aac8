/**
 * @module What can go wrong anywhere in Broadsheet: one error type with a stable code and a kind.
 * The kind is the hint the edges need (the web maps it to a status, the CLI to an exit code and one
 * line), so that no domain module ever names an HTTP status.
 */

/** What sort of failure it is; the message says what exactly, for a person. */
export type ErrorKind = 'invalid' | 'too_large' | 'not_found' | 'conflict' | 'forbidden' | 'unauthorized' | 'rate_limited' | 'unavailable'

/**
 * @example throw new DomainError('forbidden', 'comments_closed', 'Comments on this article are closed.')
 */
export class DomainError extends Error {
  override readonly name: string = 'DomainError'
  constructor(
    readonly kind: ErrorKind,
    /** Stable, for API clients and tests: `comments_closed`, `invalid_setting` … */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** Input that cannot be used as given; the message names the field. */
export class Invalid extends DomainError {
  override readonly name: string = 'Invalid'
  constructor(message: string, code = 'invalid_input', options?: { cause?: unknown }) {
    super('invalid', code, message, options)
  }
}

export class NotFound extends DomainError {
  override readonly name: string = 'NotFound'
  constructor(message: string, code = 'not_found') {
    super('not_found', code, message)
  }
}

/** The request clashes with what is stored (an address already taken, the same comment twice). */
export class Conflict extends DomainError {
  override readonly name: string = 'Conflict'
  constructor(message: string, code = 'conflict') {
    super('conflict', code, message)
  }
}

/** Known, but not allowed to do this. */
export class Forbidden extends DomainError {
  override readonly name: string = 'Forbidden'
  constructor(message: string, code = 'forbidden') {
    super('forbidden', code, message)
  }
}

/** Not known: no credentials, or ones that are not ours. */
export class Unauthorized extends DomainError {
  override readonly name: string = 'Unauthorized'
  constructor(message: string, code = 'unauthorized') {
    super('unauthorized', code, message)
  }
}

export class RateLimited extends DomainError {
  override readonly name: string = 'RateLimited'
  constructor(
    message: string,
    /** Seconds until the same request will be accepted again. */
    readonly retryAfter: number,
    code = 'rate_limited',
  ) {
    super('rate_limited', code, message)
  }
}

/** Something the site depends on (the database, say) does not answer. */
export class Unavailable extends DomainError {
  override readonly name: string = 'Unavailable'
  constructor(message: string, code = 'unavailable', options?: { cause?: unknown }) {
    super('unavailable', code, message, options)
  }
}
