/**
 * @module The `broadsheet` command. Exit 0 on success, 1 with one line on stderr when the work
 * failed, 2 when the command line itself is wrong.
 */
import { Command, CommanderError, InvalidArgumentError, type Option } from 'commander'
import type { Config } from '../config/config.ts'
// The error type alone: a small module with no imports, so --help stays fast.
import { DomainError } from '../errors.ts'

/** What a run of the command reads besides its arguments. */
export interface MainOptions {
  /** The environment that configures the site (default: `process.env`). */
  readonly env?: NodeJS.ProcessEnv
}

/**
 * Runs the command line and returns the exit code. Each command's module (and so the database
 * drivers, the web server, the spam engine) is loaded only when that command runs, so that
 * `broadsheet --help` starts in a fraction of a second.
 * @example
 * process.exitCode = await main(process.argv)
 */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const config = async (): Promise<Config> => (await import('../config/config.ts')).loadConfig(options.env ?? process.env)
  const program = new Command('broadsheet')
    .description('Broadsheet: a self-hosted news site')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showSuggestionAfterError()

  program.command('serve').description('start the server (what npm start runs)').action(async () => (await import('./serve.ts')).serveCommand(await config()))
  program.command('migrate').description('apply migrations and exit').action(async () => (await import('./migrate.ts')).migrateCommand(await config()))
  program
    .command('publish')
    .description('publish or update an article from Markdown with front matter; prints its URL')
    .argument('<file>', 'a Markdown file with YAML front matter')
    .action(async (file: string) => (await import('./publish.ts')).publishCommand(await config(), file))

  program
    .command('media')
    .description('images')
    .command('add')
    .description('add an image (JPEG, PNG, WebP, GIF, AVIF; up to 50 MB); prints its reference and URL')
    .argument('<file>', 'the image file')
    .requiredOption('--alt <text>', 'what the image shows, for readers who cannot see it')
    .option('--caption <text>', 'the line under the image')
    .option('--credit <text>', 'who made it, e.g. "Jane Roe / Agency"')
    .action(async (file: string, o: { alt: string; caption?: string; credit?: string }) => (await import('./media.ts')).mediaAddCommand(await config(), file, o))

  const user = program.command('user').description('people who sign in or use the admin API')
  user
    .command('add')
    .description('add a user')
    .requiredOption('--email <email>', 'their e-mail address')
    .requiredOption('--name <name>', 'their name as shown in bylines')
    .requiredOption('--role <role>', 'administrator | editor | author | contributor')
    .option('--password-stdin', 'read a password (12+ characters) from standard input')
    .action(async (o: { email: string; name: string; role: string; passwordStdin?: boolean }) => (await import('./users.ts')).userAddCommand(await config(), o))
  user
    .command('list')
    .description('everyone who can sign in, with their role')
    .action(async () => (await import('./users.ts')).userListCommand(await config()))
  const token = program.command('token').description('admin API tokens')
  token
    .command('create')
    .description('print a new admin API token for a user')
    .requiredOption('--email <email>', "the user's e-mail address")
    .option('--label <label>', 'what the token is for')
    .option('--expires-in <days>', 'days until the token stops working (1 to 3650)', '90')
    .action(async (o: { email: string; label?: string; expiresIn: string }) => (await import('./users.ts')).tokenCreateCommand(await config(), o.email, o.label, o.expiresIn))
  token
    .command('list')
    .description('API tokens: id, owner, label, created, last used and expiry, or revoked')
    .action(async () => (await import('./users.ts')).tokenListCommand(await config()))
  token
    .command('revoke')
    .description('revoke an API token by its id (see token list)')
    .argument('<id>', 'the token id')
    .action(async (id: string) => (await import('./users.ts')).tokenRevokeCommand(await config(), id))
  program
    .command('akismet-key')
    .description('keys for the Akismet-compatible API')
    .command('create')
    .description('print a new key for the Akismet-compatible API')
    .requiredOption('--site <url>', 'the site that will use the key')
    .action(async (o: { site: string }) => (await import('./akismet-key.ts')).akismetKeyCreateCommand(await config(), o.site))

  const importing = program.command('import').description('bring a site in from elsewhere')
  importing
    .command('wordpress')
    .description('import a WXR export (posts, pages, terms, authors, comments with their status), with a progress bar')
    .argument('<file>', 'the WXR file (WordPress: Tools → Export)')
    .option('--dry-run', 'do everything, print what would change, keep nothing')
    .option('--uploads <dir>', "a copy of the old site's wp-content/uploads, for attachment files")
    .option('--learn', 'teach the spam filter from imported approved and spam comments')
    .action(async (file: string, o: { dryRun?: boolean; uploads?: string; learn?: boolean }) => (await import('./wordpress.ts')).importWordpressCommand(await config(), file, o))
  importing
    .command('disqus')
    .description("import comments from a Disqus export into the moderation queue, with the spam filter's reasons")
    .argument('<file>', 'the Disqus XML export')
    .option('--dry-run', 'do everything, print what would change, keep nothing')
    .action(async (file: string, o: { dryRun?: boolean }) => (await import('./wordpress.ts')).importDisqusCommand(await config(), file, o))

  program
    .command('export')
    .description('take the site elsewhere')
    .command('wordpress')
    .description('export the site as WXR 1.2 (WordPress: Tools → Import → WordPress)')
    .argument('<file>', 'where to write the WXR file')
    .action(async (file: string) => (await import('./wordpress.ts')).exportWordpressCommand(await config(), file))

  program
    .command('backup')
    .description('a consistent online backup of the database and the uploaded images, in one .tar.gz file')
    .argument('<file>', 'where to write the backup (must not exist yet)')
    .action(async (file: string) => (await import('./backup.ts')).backupCommand(await config(), file))
  program
    .command('restore')
    .description('restore a backup into an empty database (stop the site first)')
    .argument('<file>', 'a file written by broadsheet backup')
    .option('--force', 'replace the site the database already holds')
    .action(async (file: string, o: { force?: boolean }) => (await import('./backup.ts')).restoreCommand(await config(), file, o))

  const spam = program.command('spam').description('the local spam filter')
  // The corpora's default folder is spam.ts's to say: it is read when a spam command runs or shows its help.
  spam.hook('preSubcommand', async () => {
    const { DEFAULT_DATASET } = await import('./spam.ts')
    for (const command of spam.commands) {
      const dataset = command.options.find((o: Option) => o.long === '--dataset')
      if (!dataset) continue
      dataset.default(DEFAULT_DATASET) // shown by --help
      command.setOptionValueWithSource('dataset', DEFAULT_DATASET, 'default') // used when --dataset is not given
    }
  })
  spam
    .command('eval')
    .description('evaluate the filter on a labelled corpus: one line per dataset')
    .option('--dataset <path>', 'a .jsonl file or a folder of them')
    .option('--folds <k>', 'K-fold cross-validation instead of the shipped model', wholeNumber(2, 999))
    .option('--repeats <n>', 'with --folds: repeat the cross-validation over n different splits and pool the counts', wholeNumber(1, 100))
    .option('--json', 'one JSON object per dataset')
    .option('--model <file>', 'score this model file instead of the shipped one')
    .option('--leave-one-out <dir>', "train the shipped recipe on all of DIR's corpora (subfolders too) but one, score the one left out: one line per corpus")
    .option('--explain <n>', "after each line, the n verdicts it got most wrong, with the verdict's reasons", wholeNumber(1, 1000))
    .option('--by-source', 'with --leave-one-out: also leave out one source (a video, an account) of each corpus that has several')
    .action(async (o: { dataset: string; folds?: number; repeats?: number; json?: boolean; model?: string; leaveOneOut?: string; explain?: number; bySource?: boolean }) =>
      (await import('./spam.ts')).spamEvalCommand(o),
    )
  spam
    .command('train')
    .description('retrain the default model (reproducible: fixed seed)')
    .option('--dataset <path>', 'a .jsonl file or a folder of them')
    .option('--output <file>', 'where to write the model (default: the shipped model file)')
    .action(async (o: { dataset?: string; output?: string }) => (await import('./spam.ts')).spamTrainCommand(o))

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

/** What went wrong, in one line: a domain error's own message, else the first line of any other. */
function oneLine(error: unknown): string {
  if (error instanceof DomainError) return error.message.replace(/\s*\n\s*/g, ' ')
  return error instanceof Error ? error.message.split('\n')[0]! : String(error)
}
