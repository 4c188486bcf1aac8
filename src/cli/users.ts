/** @module `broadsheet user add|list` and `broadsheet token create|list|revoke`. */
import type { Config } from '../config/config.ts'
import { Invalid } from '../errors.ts'
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

export async function userListCommand(config: Config): Promise<void> {
  const site = await openSite(config, { seed: false })
  try {
    const users = await site.services.accounts.listUsers()
    if (users.length === 0) process.stdout.write('no users yet (add one with: broadsheet user add)\n')
    for (const u of users) process.stdout.write(`${u.id}\t${u.role}\t${u.email}\t${u.displayName}${u.disabled ? '\tdisabled' : ''}\n`)
  } finally {
    await site.close()
  }
}

const wholeDaysRe = /^[1-9]\d{0,3}$/

export async function tokenCreateCommand(config: Config, email: string, label?: string, expiresIn?: string): Promise<void> {
  if (expiresIn !== undefined && !wholeDaysRe.test(expiresIn)) throw new Invalid(`token create: --expires-in "${expiresIn}" is not a number of days (1 to 3650)`)
  const site = await openSite(config, { seed: false })
  try {
    process.stdout.write(`${await site.services.accounts.createApiToken(email, label, expiresIn === undefined ? undefined : Number(expiresIn))}\n`)
  } finally {
    await site.close()
  }
}

export async function tokenListCommand(config: Config): Promise<void> {
  const site = await openSite(config, { seed: false })
  try {
    const tokens = await site.services.accounts.listTokens()
    if (tokens.length === 0) process.stdout.write('no API tokens (make one with: broadsheet token create --email E)\n')
    for (const t of tokens) {
      const expired = t.expiresAt === null || Date.parse(t.expiresAt) <= site.now().getTime()
      const state = t.revokedAt ? `revoked ${t.revokedAt}` : `last used ${t.lastUsedAt ?? 'never'}\t${expired ? 'expired' : 'expires'} ${t.expiresAt ?? '-'}`
      process.stdout.write(`${t.id}\t${t.email}\t${t.label || '-'}\tcreated ${t.createdAt}\t${state}\n`)
    }
  } finally {
    await site.close()
  }
}

export async function tokenRevokeCommand(config: Config, id: string): Promise<void> {
  if (!/^[1-9]\d{0,9}$/.test(id)) throw new Invalid(`token revoke: "${id}" is not a token id (see broadsheet token list)`)
  const site = await openSite(config, { seed: false })
  try {
    await site.services.accounts.revokeToken(Number(id))
    process.stdout.write(`revoked token ${id}\n`)
  } finally {
    await site.close()
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
