/**
 * Invalidations for the page caches of every process and host: a row per cache tag a change
 * touches (`article:ID`, `front`, `feeds`, `term:ID`, `author:ID`, `all`), numbered by `seq`.
 *
 * The rows are written by triggers, so they are in the transaction of the change itself, whoever
 * makes it (the server, `broadsheet publish` in another process, an import, a restore): a reader
 * page can never outlive a committed change because some write path forgot to say so. On
 * PostgreSQL the same triggers NOTIFY `broadsheet_invalidations`, which listeners hear at commit.
 *
 * What each table's rows touch:
 * - articles readers may see (published or scheduled, before or after the change): the article,
 *   the front page, feeds, and the term and author lists it is in;
 * - article_listings entries added or removed: that term's or author's list (site lists: the front);
 * - corrections: the article and feeds;
 * - approved comments (added, removed, approved, unapproved, their shown text or name changed):
 *   the article (its page and the cards that count its comments) and feeds;
 * - settings (not a signing secret made on first use), and the names readers see on every page
 *   (terms, authors, images): everything.
 */
import { sql, type Kysely } from 'kysely'
import { isPostgres } from './dialect.ts'

/** Statuses readers may see (a scheduled story is live once its date has come). */
const VISIBLE = `('published', 'scheduled')`

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await upPostgres(db)
  else await upSqlite(db)
  await db.schema.createIndex('invalidations_by_time').on('invalidations').column('recorded_at').execute()
}

async function upSqlite(db: Kysely<any>): Promise<void> {
  await sql`create table invalidations (
    seq integer primary key autoincrement,
    tag text not null,
    recorded_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  )`.execute(db)
  const listTag = (row: string) => `case ${row}.list_kind when 'term' then 'term:' || ${row}.list_id when 'author' then 'author:' || ${row}.list_id else 'front' end`
  const articleTags = (row: 'NEW' | 'OLD') => `
    insert into invalidations (tag) values ('article:' || ${row}.id), ('front'), ('feeds');
    insert into invalidations (tag) select ${listTag('l')} from article_listings l where l.article_id = ${row}.id and l.list_kind in ('term', 'author');`
  const triggers = [
    `create trigger invalidate_article_insert after insert on articles when NEW.status in ${VISIBLE} begin ${articleTags('NEW')} end`,
    `create trigger invalidate_article_update after update on articles when NEW.status in ${VISIBLE} or OLD.status in ${VISIBLE} begin ${articleTags('NEW')} end`,
    `create trigger invalidate_article_delete after delete on articles when OLD.status in ${VISIBLE} begin ${articleTags('OLD')} end`,
    `create trigger invalidate_listing_insert after insert on article_listings begin insert into invalidations (tag) values (${listTag('NEW')}); end`,
    `create trigger invalidate_listing_delete after delete on article_listings begin insert into invalidations (tag) values (${listTag('OLD')}); end`,
    ...(['insert', 'update', 'delete'] as const).map(
      (op) => `create trigger invalidate_correction_${op} after ${op} on article_corrections begin insert into invalidations (tag) values ('article:' || ${op === 'delete' ? 'OLD' : 'NEW'}.article_id), ('feeds'); end`,
    ),
    `create trigger invalidate_comment_insert after insert on comments when NEW.status = 'approved' begin insert into invalidations (tag) values ('article:' || NEW.article_id), ('feeds'); end`,
    `create trigger invalidate_comment_update after update on comments
       when (OLD.status = 'approved' or NEW.status = 'approved')
        and (OLD.status <> NEW.status or OLD.content_html <> NEW.content_html or OLD.author_name <> NEW.author_name
             or OLD.author_url <> NEW.author_url or OLD.parent_id is not NEW.parent_id or OLD.article_id <> NEW.article_id)
       begin insert into invalidations (tag) values ('article:' || OLD.article_id), ('article:' || NEW.article_id), ('feeds'); end`,
    `create trigger invalidate_comment_delete after delete on comments when OLD.status = 'approved' begin insert into invalidations (tag) values ('article:' || OLD.article_id), ('feeds'); end`,
    // A signing secret made on first use changes no page (pages made before it did not use it).
    `create trigger invalidate_settings_insert after insert on settings when NEW.key not like 'secret:%' begin insert into invalidations (tag) values ('all'); end`,
    ...(['update', 'delete'] as const).map((op) => `create trigger invalidate_settings_${op} after ${op} on settings begin insert into invalidations (tag) values ('all'); end`),
    ...(['update', 'delete'] as const).map((op) => `create trigger invalidate_term_${op} after ${op} on terms begin insert into invalidations (tag) values ('all'); end`),
    `create trigger invalidate_user_update after update on users when OLD.display_name <> NEW.display_name or OLD.slug <> NEW.slug or OLD.bio <> NEW.bio begin insert into invalidations (tag) values ('all'); end`,
    `create trigger invalidate_media_update after update on media when OLD.alt <> NEW.alt or OLD.caption <> NEW.caption or OLD.credit <> NEW.credit or OLD.variants <> NEW.variants begin insert into invalidations (tag) values ('all'); end`,
  ]
  for (const trigger of triggers) await sql.raw(trigger).execute(db)
}

async function upPostgres(db: Kysely<any>): Promise<void> {
  await sql`create table invalidations (
    seq bigserial primary key,
    tag text not null,
    recorded_at text not null default to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
  )`.execute(db)
  // One NOTIFY a transaction: PostgreSQL folds identical notifications of a transaction into one.
  await sql`create function broadsheet_invalidate(tags text[]) returns void language sql as $$
    insert into invalidations (tag) select unnest(tags);
    select pg_notify('broadsheet_invalidations', '');
  $$`.execute(db)
  await sql.raw(`create function broadsheet_invalidate_article() returns trigger language plpgsql as $$
    declare r articles;
    begin
      if TG_OP = 'DELETE' then r := OLD; else r := NEW; end if;
      if (TG_OP <> 'DELETE' and NEW.status in ${VISIBLE}) or (TG_OP <> 'INSERT' and OLD.status in ${VISIBLE}) then
        perform broadsheet_invalidate(array['article:' || r.id, 'front', 'feeds']);
        perform broadsheet_invalidate(array(select l.list_kind || ':' || l.list_id from article_listings l where l.article_id = r.id and l.list_kind in ('term', 'author')));
      end if;
      return null;
    end $$`).execute(db)
  await sql.raw(`create function broadsheet_invalidate_listing() returns trigger language plpgsql as $$
    declare r article_listings;
    begin
      if TG_OP = 'DELETE' then r := OLD; else r := NEW; end if;
      perform broadsheet_invalidate(array[case when r.list_kind in ('term', 'author') then r.list_kind || ':' || r.list_id else 'front' end]);
      return null;
    end $$`).execute(db)
  await sql.raw(`create function broadsheet_invalidate_correction() returns trigger language plpgsql as $$
    begin
      perform broadsheet_invalidate(array['article:' || (case when TG_OP = 'DELETE' then OLD.article_id else NEW.article_id end), 'feeds']);
      return null;
    end $$`).execute(db)
  await sql.raw(`create function broadsheet_invalidate_comment() returns trigger language plpgsql as $$
    begin
      if TG_OP = 'INSERT' then
        if NEW.status = 'approved' then perform broadsheet_invalidate(array['article:' || NEW.article_id, 'feeds']); end if;
      elsif TG_OP = 'DELETE' then
        if OLD.status = 'approved' then perform broadsheet_invalidate(array['article:' || OLD.article_id, 'feeds']); end if;
      elsif (OLD.status = 'approved' or NEW.status = 'approved')
        and (OLD.status <> NEW.status or OLD.content_html <> NEW.content_html or OLD.author_name <> NEW.author_name
             or OLD.author_url <> NEW.author_url or OLD.parent_id is distinct from NEW.parent_id or OLD.article_id <> NEW.article_id) then
        perform broadsheet_invalidate(array['article:' || OLD.article_id, 'article:' || NEW.article_id, 'feeds']);
      end if;
      return null;
    end $$`).execute(db)
  await sql.raw(`create function broadsheet_invalidate_all() returns trigger language plpgsql as $$
    begin
      perform broadsheet_invalidate(array['all']);
      return null;
    end $$`).execute(db)
  const triggers = [
    `create trigger invalidate_article after insert or update or delete on articles for each row execute function broadsheet_invalidate_article()`,
    `create trigger invalidate_listing after insert or delete on article_listings for each row execute function broadsheet_invalidate_listing()`,
    `create trigger invalidate_correction after insert or update or delete on article_corrections for each row execute function broadsheet_invalidate_correction()`,
    `create trigger invalidate_comment after insert or update or delete on comments for each row execute function broadsheet_invalidate_comment()`,
    `create trigger invalidate_settings_insert after insert on settings for each row when (NEW.key not like 'secret:%') execute function broadsheet_invalidate_all()`,
    `create trigger invalidate_settings after update or delete on settings for each row execute function broadsheet_invalidate_all()`,
    `create trigger invalidate_term after update or delete on terms for each row execute function broadsheet_invalidate_all()`,
    `create trigger invalidate_user after update on users for each row
       when (OLD.display_name <> NEW.display_name or OLD.slug <> NEW.slug or OLD.bio <> NEW.bio) execute function broadsheet_invalidate_all()`,
    `create trigger invalidate_media after update on media for each row
       when (OLD.alt <> NEW.alt or OLD.caption <> NEW.caption or OLD.credit <> NEW.credit or OLD.variants <> NEW.variants) execute function broadsheet_invalidate_all()`,
  ]
  for (const trigger of triggers) await sql.raw(trigger).execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    for (const [trigger, table] of [['invalidate_article', 'articles'], ['invalidate_listing', 'article_listings'], ['invalidate_correction', 'article_corrections'], ['invalidate_comment', 'comments'], ['invalidate_settings', 'settings'], ['invalidate_settings_insert', 'settings'], ['invalidate_term', 'terms'], ['invalidate_user', 'users'], ['invalidate_media', 'media']]) {
      await sql.raw(`drop trigger ${trigger} on ${table}`).execute(db)
    }
    for (const fn of ['broadsheet_invalidate_article()', 'broadsheet_invalidate_listing()', 'broadsheet_invalidate_correction()', 'broadsheet_invalidate_comment()', 'broadsheet_invalidate_all()', 'broadsheet_invalidate(text[])']) {
      await sql.raw(`drop function ${fn}`).execute(db)
    }
  } else {
    const { rows } = await sql<{ name: string }>`select name from sqlite_master where type = 'trigger' and name like 'invalidate_%'`.execute(db)
    for (const { name } of rows) await sql.raw(`drop trigger ${name}`).execute(db)
  }
  await db.schema.dropTable('invalidations').execute()
}
