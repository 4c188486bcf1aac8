/** @module Sending e-mail through the site's SMTP server (SMTP_URL); without one, nothing is sent. */
import nodemailer from 'nodemailer'

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
  const transport = nodemailer.createTransport(smtpUrl)
  return {
    enabled: true,
    async send(message) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text })
    },
  }
}
