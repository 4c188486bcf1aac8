/**
 * @module Password hashing with scrypt (node:crypto, no native add-on to build).
 *
 * Parameters: N = 2^15, r = 8, p = 1 (32 MiB of memory, about 60–100 ms a hash on this machine's
 * cores), a 16-byte random salt and a 32-byte key, stored as
 * `scrypt$N=32768,r=8,p=1$<salt base64>$<key base64>` so the parameters can be raised later
 * without locking anyone out: a hash made with older parameters still verifies, and
 * `needsRehash` tells the sign-in to store a new one.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto'

interface Params {
  readonly N: number
  readonly r: number
  readonly p: number
}

const CURRENT: Params = { N: 2 ** 15, r: 8, p: 1 }
/** The parameters of hashes written before they were recorded in the hash. */
const LEGACY: Params = { N: 2 ** 14, r: 8, p: 1 }
const KEY_BYTES = 32
const paramsRe = /^N=(\d+),r=(\d+),p=(\d+)$/

function scrypt(password: string, salt: Buffer, keylen: number, params: Params): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r }
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFKC'), salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))),
  )
}

/** @example const stored = await hashPassword('correct horse battery staple') */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scrypt(password, salt, KEY_BYTES, CURRENT)
  return `scrypt$N=${CURRENT.N},r=${CURRENT.r},p=${CURRENT.p}$${salt.toString('base64')}$${key.toString('base64')}`
}

function parse(stored: string): { params: Params; salt: Buffer; key: Buffer } | undefined {
  const parts = stored.split('$')
  if (parts[0] !== 'scrypt') return undefined
  if (parts.length === 3) return { params: LEGACY, salt: Buffer.from(parts[1]!, 'base64'), key: Buffer.from(parts[2]!, 'base64') }
  const m = parts.length === 4 ? paramsRe.exec(parts[1]!) : null
  if (!m) return undefined
  const params = { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) }
  // Refuse parameters no hash of ours has, rather than let a stored value make the server spend minutes.
  if (params.N > 2 ** 20 || params.r > 32 || params.p > 16) return undefined
  return { params, salt: Buffer.from(parts[2]!, 'base64'), key: Buffer.from(parts[3]!, 'base64') }
}

/** Whether the password matches the stored hash; compared in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored)
  if (!parsed || parsed.key.length < 16) return false
  const actual = await scrypt(password, parsed.salt, parsed.key.length, parsed.params)
  return timingSafeEqual(actual, parsed.key)
}

/** Whether a hash that just verified was made with weaker parameters than today's. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored)
  return !parsed || parsed.params.N < CURRENT.N || parsed.params.r < CURRENT.r || parsed.key.length < KEY_BYTES
}

let dummy: Promise<string> | undefined
/** Spends the time a real check would, so a missing account cannot be told from a wrong password by timing. */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummy ??= hashPassword('no account has this password')
  await verifyPassword(password, await dummy)
  return false
}
