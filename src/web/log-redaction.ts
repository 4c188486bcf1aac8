/** @module Request logs without secrets: tokens and keys in query strings are replaced. */

const secretParamRe = /([?&](?:token|api_key|key|password)=)[^&#]*/gi

/** The URL as it may be logged. */
export function redactUrl(url: string): string {
  return url.replace(secretParamRe, '$1[redacted]')
}
