/**
 * @module E-mail addresses as the site takes them: one mailbox, judged by the parser that sends
 * (nodemailer's addressparser), so that what was checked is exactly where mail goes.
 */
import addressparser from 'nodemailer/lib/addressparser/index.js'
import { z } from 'zod'

/** The longest address SMTP carries (RFC 5321: a 254-character path). */
export const MAX_EMAIL_LENGTH = 254

/** A local part and a domain of dot-separated labels; no spaces, quotes, brackets, commas or control characters anywhere. */
const plainAddressRe = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/
const encodedWordRe = /=\?/
const doubleDotRe = /\.\.|^\.|\.@/

/**
 * The address itself when `text` is one plain mailbox, else undefined. Text that nodemailer would
 * read as several recipients (`foo,someone@x.example`), a display name, a group, a comment
 * (`(null)@x.example`) or a header break is refused rather than reinterpreted.
 * @example mailboxAddress(' Reader@Example.org ') // 'Reader@Example.org'
 * @example mailboxAddress('foo,someone@x.example') // undefined
 */
export function mailboxAddress(text: string): string | undefined {
  const address = text.trim()
  if (address.length > MAX_EMAIL_LENGTH || !plainAddressRe.test(address) || doubleDotRe.test(address) || encodedWordRe.test(address)) return undefined
  const parsed = addressparser(address, { flatten: true })
  if (parsed.length !== 1 || parsed[0]!.name !== '' || parsed[0]!.address !== address) return undefined
  return address
}

/** What a form or the API is told about an address that is not one plain mailbox. */
export const INVALID_EMAIL = 'is not a valid e-mail address'

/** An e-mail address field: trimmed, one plain mailbox (see mailboxAddress). */
export const emailAddressSchema = (message = INVALID_EMAIL) =>
  z.string({ error: message }).transform((text, ctx) => {
    const address = mailboxAddress(text)
    if (address === undefined) {
      ctx.addIssue({ code: 'custom', message })
      return z.NEVER
    }
    return address
  })
