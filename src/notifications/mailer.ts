/** @module Sending e-mail through the site's SMTP server (SMTP_URL); without one, nothing is sent. */
import type { Transporter } from 'nodemailer'
import { mailboxAddress } from '../text/email-address.ts'

export interface Message {
  readonly to: string
  readonly subject: string
  readonly text: string
}

export interface Mailer {
  /** Whether e-mail can be sent at all (SMTP_URL is set). */
  readonly enabled: boolean
  send(message: Message): Promise<void>
}

/**
 * @example const mailer = smtpMailer('smtp://127.0.0.1:2525', 'news@example.org')
 */
export function smtpMailer(smtpUrl: string | undefined, from: string): Mailer {
  if (!smtpUrl) return { enabled: false, send: async () => {} }
  // nodemailer is loaded with the first message, not at start (it takes a while to load).
  let transport: Promise<Transporter> | undefined
  return {
    enabled: true,
    async send(message) {
      // Every address was checked where it came in; one that was not is never handed to nodemailer,
      // which would read `a,b@x.example` as two recipients.
      if (mailboxAddress(message.to) !== message.to) throw new Error('refusing to send: the recipient is not one plain e-mail address')
      transport ??= import('nodemailer').then((m) => m.default.createTransport(smtpUrl))
      await (await transport).sendMail({ from, to: message.to, subject: message.subject, text: message.text })
    },
  }
}
