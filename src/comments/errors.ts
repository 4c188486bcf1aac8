/** @module What can go wrong when a reader comments, as codes the web layer maps to answers. */

export class CommentRefused extends Error {
  override readonly name = 'CommentRefused'
  constructor(
    readonly code: 'not_found' | 'comments_closed' | 'invalid_input' | 'duplicate_comment' | 'rate_limited',
    message: string,
    /** For `rate_limited`: seconds until a comment will be accepted again. */
    readonly retryAfter?: number,
  ) {
    super(message)
  }
}
