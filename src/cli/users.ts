/** @module `broadsheet user add` and `broadsheet token create`. */
import type { Config } from '../config/config.ts'
import { openSite } from '../site.ts'

export async function userAddCommand(config: Config, o: { email: string; name: string; role: string; passwordStdin?: boolean }): Promise<void> {
  const password = o.passwordStdin ? (await readStdin()).replace(/\r?\n$/, '') : undefined
  const site = await openSite(config, { seed: false })
  try {
    const user = await site.services.accounts.addUser({ email: o.email, name: o.name, role: o.role as never, ...(password !== undefined && { password }) })
    process.stdout.write(`added ${user.role} ${user.displayName} <${user.email}>\n`)
  } finally {
    await site.close()
  }
}

export async function tokenCreateCommand(config: Config, email: string): Promise<void> {
  const site = await openSite(config, { seed: false })
  try {
    process.stdout.write(`${await site.services.accounts.createApiToken(email)}\n`)
  } finally {
    await site.close()
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
