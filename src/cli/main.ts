/**
 * @module The `broadsheet` command. Exit 0 on success, 1 with one line on stderr when the work
 * failed, 2 when the command line itself is wrong.
 */
import { Command, CommanderError } from 'commander'
import { ConfigError, loadConfig } from '../config/config.ts'
import { DatabaseUnavailable } from '../storage/database.ts'
import { publishCommand } from './publish.ts'
import { serveCommand } from './serve.ts'
import { migrateCommand } from './migrate.ts'

/** A failure to report in one line, without a stack trace. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure'
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('broadsheet')
    .description('Broadsheet: a self-hosted news site')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showSuggestionAfterError()

  program.command('serve').description('start the server (what npm start runs)').action(() => serveCommand(config()))
  program.command('migrate').description('apply migrations and exit').action(() => migrateCommand(config()))
  program
    .command('publish')
    .description('publish or update an article from Markdown with front matter; prints its URL')
    .argument('<file>', 'a Markdown file with YAML front matter')
    .action((file: string) => publishCommand(config(), file))

  try {
    await program.parseAsync(argv as string[])
    return 0
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0
      return 2
    }
    process.stderr.write(`broadsheet: ${oneLine(error)}\n`)
    return 1
  }
}

function config() {
  return loadConfig(process.env)
}

function oneLine(error: unknown): string {
  if (error instanceof ConfigError || error instanceof DatabaseUnavailable || error instanceof CliFailure) return error.message
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.message
  return error instanceof Error ? error.message.split('\n')[0]! : String(error)
}
