/**
 * @module `broadsheet backup` and `broadsheet restore`: one gzipped tar file holding a manifest
 * (`broadsheet-backup.json`), a consistent copy of the database (`database.sqlite` or, on
 * PostgreSQL, `database.pgdump`) and the uploaded images (`media/`, from BROADSHEET_DATA/media).
 */
import fs from 'node:fs'
import path from 'node:path'
import * as tar from 'tar'
import { z } from 'zod'
import { redactPassword, type Config } from '../config/config.ts'
import { Conflict, Invalid } from '../errors.ts'
import { mediaFolderOf, mediaKeyRe } from '../media/media-storage.ts'
import { databaseHoldsData, restoreDatabase, snapshotDatabase } from '../storage/backup.ts'
import { migrateToLatest, openStorage } from '../storage/database.ts'
import { migrations } from '../storage/migrations/index.ts'
import { parseOrThrow } from '../validation.ts'

const MANIFEST = 'broadsheet-backup.json'
const DATABASE_FILE = { sqlite: 'database.sqlite', postgres: 'database.pgdump' } as const
const MEDIA = 'media'

const ManifestSchema = z.object({
  /** Always `broadsheet-backup`: what the file is. */
  format: z.literal('broadsheet-backup'),
  /** The layout of the archive; 1 is the only one so far. */
  version: z.literal(1),
  /** The engine the database copy is for. */
  engine: z.enum(['sqlite', 'postgres']),
  /** When the copy was taken (ISO 8601). */
  created_at: z.iso.datetime(),
  /** The newest migration the code that made the backup knew: a newer one than ours cannot be restored here. */
  schema: z.string(),
  /** How many image files the archive carries. */
  media_files: z.number().int().min(0),
})
type Manifest = z.infer<typeof ManifestSchema>

export interface BackupSummary {
  readonly file: string
  readonly engine: Manifest['engine']
  readonly mediaFiles: number
  readonly bytes: number
}

export interface RestoreSummary extends BackupSummary {
  readonly createdAt: string
  /** Whether a database that held a site was replaced (`--force`). */
  readonly replaced: boolean
}

/**
 * Writes a backup of the running (or stopped) site to `file`, which must not exist yet. The
 * database copy holds every write committed before the backup started; images are copied after
 * it, so every image it names is there (files are named by their content and never rewritten).
 * @example const summary = await writeBackup(loadConfig(process.env), 'site-2026-12-02.tar.gz')
 */
export async function writeBackup(config: Config, file: string, now = new Date()): Promise<BackupSummary> {
  if (fs.existsSync(file)) throw new Invalid(`${file} already exists; give the backup a new name`)
  const staging = fs.mkdtempSync(path.join(path.dirname(path.resolve(file)), '.broadsheet-backup-'))
  const partial = `${file}.partial`
  try {
    const engine = config.database.kind
    await snapshotDatabase(config.database, path.join(staging, DATABASE_FILE[engine]))
    const media = mediaFiles(mediaFolderOf(config.dataDir))
    // The images go in through a link to their folder (tar follows it), so they are never copied twice.
    if (media.length) fs.symlinkSync(path.resolve(mediaFolderOf(config.dataDir)), path.join(staging, MEDIA))
    const manifest: Manifest = { format: 'broadsheet-backup', version: 1, engine, created_at: now.toISOString(), schema: newestMigration(), media_files: media.length }
    fs.writeFileSync(path.join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`)
    const entries = [MANIFEST, DATABASE_FILE[engine], ...media.map((name) => `${MEDIA}/${name}`)]
    await tar.create({ gzip: true, file: partial, cwd: staging, follow: true, portable: true }, entries)
    fs.renameSync(partial, file)
    return { file, engine, mediaFiles: media.length, bytes: fs.statSync(file).size }
  } finally {
    fs.rmSync(partial, { force: true })
    fs.rmSync(staging, { recursive: true, force: true })
  }
}

/**
 * Restores a backup made by `writeBackup` into the configured database and data folder. Refuses a
 * file that is not a Broadsheet backup, a backup of the other engine, and a database that already
 * holds a site unless `force`. The site must be stopped meanwhile. After the database is back, the
 * migrations this code has and the backup lacked are applied.
 */
export async function restoreBackup(config: Config, file: string, options: { force?: boolean } = {}): Promise<RestoreSummary> {
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) throw new Invalid(`${file}: no such file`)
  fs.mkdirSync(config.dataDir, { recursive: true })
  const staging = fs.mkdtempSync(path.join(config.dataDir, '.broadsheet-restore-'))
  try {
    const manifest = await unpack(file, staging)
    if (manifest.engine !== config.database.kind) {
      throw new Invalid(`${file} is a backup of ${engineName(manifest.engine)} site, but DATABASE_URL is ${engineName(config.database.kind)} database; restore it into the same engine`)
    }
    if (!(manifest.schema in migrations)) throw new Invalid(`${file} was made by a newer Broadsheet (schema ${manifest.schema}); upgrade before restoring it`)
    const holdsData = await databaseHoldsData(config.database)
    if (holdsData && !options.force) {
      throw new Conflict(`the database ${describe(config)} already holds a site; restore into an empty database, or add --force to replace it`, 'database_not_empty')
    }
    const database = path.join(staging, DATABASE_FILE[manifest.engine])
    if (!fs.existsSync(database)) throw new Invalid(`${file} is not a Broadsheet backup: it has no ${DATABASE_FILE[manifest.engine]}`)
    await restoreDatabase(config.database, database)
    const storage = await openStorage(config.database)
    try {
      await migrateToLatest(storage.db)
    } finally {
      await storage.close()
    }
    const restoredMedia = copyMedia(path.join(staging, MEDIA), mediaFolderOf(config.dataDir))
    return { file, engine: manifest.engine, mediaFiles: restoredMedia, bytes: fs.statSync(file).size, createdAt: manifest.created_at, replaced: holdsData }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true })
  }
}

/** Extracts the archive's known entries (regular files only; nothing outside `staging`) and reads its manifest. */
async function unpack(file: string, staging: string): Promise<Manifest> {
  const notBackup = (why: string) => new Invalid(`${file} is not a Broadsheet backup: ${why}`)
  const known = new Set<string>([MANIFEST, ...Object.values(DATABASE_FILE)])
  try {
    await tar.extract({
      file,
      cwd: staging,
      strict: true,
      filter: (entryPath, entry) => {
        const type = 'type' in entry ? entry.type : undefined
        if (type === 'Directory') return entryPath.replace(/\/$/, '') === MEDIA
        if (type !== 'File' && type !== 'OldFile') return false
        if (known.has(entryPath)) return true
        const [folder, name, ...rest] = entryPath.split('/')
        return folder === MEDIA && rest.length === 0 && mediaKeyRe.test(name ?? '')
      },
    })
  } catch (error) {
    throw notBackup(`it cannot be read as a gzipped tar archive (${(error as Error).message.split('\n')[0]})`)
  }
  const manifestFile = path.join(staging, MANIFEST)
  if (!fs.existsSync(manifestFile)) throw notBackup(`it has no ${MANIFEST}`)
  let json: unknown
  try {
    json = JSON.parse(fs.readFileSync(manifestFile, 'utf8'))
  } catch {
    throw notBackup(`its ${MANIFEST} is not JSON`)
  }
  return parseOrThrow(ManifestSchema, json, 'manifest', (p) => notBackup(`${MANIFEST}: ${p.field}: ${p.message}`))
}

function mediaFiles(folder: string): string[] {
  if (!fs.existsSync(folder)) return []
  return fs.readdirSync(folder).filter((name) => mediaKeyRe.test(name)).sort()
}

/** Copies the backup's images into the media folder; a file already there (same name, same content) is kept. */
function copyMedia(from: string, to: string): number {
  const names = mediaFiles(from)
  if (names.length) fs.mkdirSync(to, { recursive: true })
  for (const name of names) {
    const target = path.join(to, name)
    if (!fs.existsSync(target)) fs.copyFileSync(path.join(from, name), target)
  }
  return names.length
}

function newestMigration(): string {
  return Object.keys(migrations).sort().at(-1)!
}

function engineName(engine: Manifest['engine']): string {
  return engine === 'sqlite' ? 'an SQLite' : 'a PostgreSQL'
}

function describe(config: Config): string {
  return config.database.kind === 'sqlite' ? config.database.file : redactPassword(config.database.url)
}
