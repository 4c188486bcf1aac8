/** @module A real SMTP server on loopback that keeps what it is sent, for reading in tests. */
import { SMTPServer } from 'smtp-server'

export interface ReceivedMail {
  readonly to: string[]
  readonly raw: string
  /** The message's text with quoted-printable soft breaks undone. */
  readonly text: string
  /** The Subject header, unfolded and with its encoded words decoded. */
  readonly subject: string
}

function decodeSubject(raw: string): string {
  const header = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1] ?? ''
  return header
    .replace(/\?=\r?\n[ \t]+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    )
    .replace(/\r?\n[ \t]+/g, ' ')
}

export async function startSmtp(): Promise<{ url: string; inbox: ReceivedMail[]; waitFor(predicate: (m: ReceivedMail) => boolean): Promise<ReceivedMail>; close(): Promise<void> }> {
  const inbox: ReceivedMail[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        const text = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, text, subject: decodeSubject(raw) })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as { port: number }).port
  return {
    url: `smtp://127.0.0.1:${port}`,
    inbox,
    async waitFor(predicate) {
      for (let i = 0; i < 100; i++) {
        const found = inbox.find(predicate)
        if (found) return found
        await new Promise((r) => setTimeout(r, 50))
      }
      throw new Error(`no such e-mail arrived; inbox: ${inbox.map((m) => m.to.join(',')).join(' | ')}`)
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
