/**
 * @module The `broadsheet` command. Exit 0 on success, 1 with one line on stderr when the work
 * failed, 2 when the command line itself is wrong.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander'
import { loadConfig } from '../config/config.ts'
import { DomainError } from '../errors.ts'
import { publishCommand } from './publish.ts'
import { serveCommand } from './serve.ts'
import { migrateCommand } from './migrate.ts'
import { akismetKeyCreateCommand } from './akismet-key.ts'
import { tokenCreateCommand, userAddCommand } from './users.ts'
import { DEFAULT_DATASET, spamEvalCommand, spamTrainCommand } from './spam.ts'

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

  program
    .command('user')
    .description('people who sign in or use the admin API')
    .command('add')
    .description('add a user')
    .requiredOption('--email <email>', 'their e-mail address')
    .requiredOption('--name <name>', 'their name as shown in bylines')
    .requiredOption('--role <role>', 'administrator | editor | author | contributor')
    .option('--password-stdin', 'read a password (12+ characters) from standard input')
    .action((o: { email: string; name: string; role: string; passwordStdin?: boolean }) => userAddCommand(config(), o))
  program
    .command('token')
    .description('admin API tokens')
    .command('create')
    .description('print a new admin API token for a user')
    .requiredOption('--email <email>', "the user's e-mail address")
    .action((o: { email: string }) => tokenCreateCommand(config(), o.email))
  program
    .command('akismet-key')
    .description('keys for the Akismet-compatible API')
    .command('create')
    .description('print a new key for the Akismet-compatible API')
    .requiredOption('--site <url>', 'the site that will use the key')
    .action((o: { site: string }) => akismetKeyCreateCommand(config(), o.site))

  const spam = program.command('spam').description('the local spam filter')
  spam
    .command('eval')
    .description('evaluate the filter on a labelled corpus: one line per dataset')
    .option('--dataset <path>', 'a .jsonl file or a folder of them', DEFAULT_DATASET)
    .option('--folds <k>', 'K-fold cross-validation instead of the shipped model', wholeNumber(2, 999))
    .option('--repeats <n>', 'with --folds: repeat the cross-validation over n different splits and pool the counts', wholeNumber(1, 100))
    .option('--json', 'one JSON object per dataset')
    .option('--model <file>', 'score this model file instead of the shipped one')
    .action((o: { dataset: string; folds?: number; repeats?: number; json?: boolean; model?: string }) => spamEvalCommand(o))
  spam
    .command('train')
    .description('retrain the default model (reproducible: fixed seed)')
    .option('--dataset <path>', 'a .jsonl file or a folder of them', DEFAULT_DATASET)
    .option('--output <file>', 'where to write the model (default: the shipped model file)')
    .action((o: { dataset?: string; output?: string }) => spamTrainCommand(o))

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

function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\d{1,4}$/.test(value) || Number(value) < min || Number(value) > max) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`)
    return Number(value)
  }
}

function config() {
  return loadConfig(process.env)
}

/** What went wrong, in one line: a domain error's own message, else the first line of any other. */
function oneLine(error: unknown): string {
  if (error instanceof DomainError) return error.message.replace(/\s*\n\s*/g, ' ')
  return error instanceof Error ? error.message.split('\n')[0]! : String(error)
}
