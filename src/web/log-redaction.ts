/** @module Request logs without secrets: tokens and keys in query strings and in single-use link paths are replaced. */

const secretParamRe = /([?&](?:token|api_key|key|password|_csrf)=)[^&#]*/gi
/** Paths whose last segment is a secret: password-reset links. */
const secretPathRe = /^(\/admin\/password-reset\/)[^/?#]+/

/** The URL as it may be logged. */
export function redactUrl(url: string): string {
  return url.replace(secretPathRe, '$1[redacted]').replace(secretParamRe, '$1[redacted]')
}
