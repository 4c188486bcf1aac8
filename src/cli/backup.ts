/** @module `broadsheet backup FILE` and `broadsheet restore FILE [--force]`: the site in one file and back. */
import type { Config } from '../config/config.ts'
import { restoreBackup, writeBackup } from '../backup/backup-archive.ts'

export async function backupCommand(config: Config, file: string): Promise<void> {
  const summary = await writeBackup(config, file)
  process.stdout.write(`backup written: ${summary.file} (${engineLabel(summary.engine)} database, ${summary.mediaFiles} image files, ${megabytes(summary.bytes)})\n`)
}

export async function restoreCommand(config: Config, file: string, options: { force?: boolean }): Promise<void> {
  const summary = await restoreBackup(config, file, options)
  const replaced = summary.replaced ? ', replacing the site that was there' : ''
  process.stdout.write(`restored ${summary.file}, taken ${summary.createdAt} (${engineLabel(summary.engine)} database, ${summary.mediaFiles} image files${replaced})\n`)
}

function engineLabel(engine: 'sqlite' | 'postgres'): string {
  return engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'
}

function megabytes(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`
}
