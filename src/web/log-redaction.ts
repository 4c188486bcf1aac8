/**
 * @module Request logs without secrets: tokens and keys in query strings, in single-use link
 * paths and in the host name of Akismet calls are replaced.
 */

const secretParamRe = /([?&](?:token|api_key|key|password|_csrf)=)[^&#]*/gi
/** Paths whose last segment is a secret: password-reset links. */
const secretPathRe = /^(\/admin\/password-reset\/)[^/?#]+/
/** The Akismet-compatible API, whose clients put the key in the host name (`KEY.rest.akismet.com`). */
const akismetPathRe = /^\/1\.[12]\//
/** A host name's first label, when there is a label after it (not an IPv4 or IPv6 address). */
const firstLabelRe = /^(?!\[)(?!\d+\.\d+\.\d+\.\d+(?::\d+)?$)[^.:]+(?=\.)/

/** The URL as it may be logged. */
export function redactUrl(url: string): string {
  return url.replace(secretPathRe, '$1[redacted]').replace(secretParamRe, '$1[redacted]')
}

/** The Host header as it may be logged: on the Akismet API its first label may be a key. */
export function redactHost(host: string | undefined, url: string): string | undefined {
  if (host === undefined || !akismetPathRe.test(url)) return host
  return host.replace(firstLabelRe, '[redacted]')
}
