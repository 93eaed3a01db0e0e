// Tags of taggable resources, per account and region, in one SQLite table. Which ARNs exist is not known here:
// each resource type's owner registers an existence check (application inference profiles, batch jobs, …), so
// TagResource on an ARN nobody owns answers ResourceNotFoundException as AWS does.
import { parseBedrockArn } from '../../registry/index.js';
import type { Db, Scope } from '../db.js';

export interface Tag {
  key: string;
  value: string;
}

/** Whether a resource with this ARN exists in the caller's account and region. */
export type ExistsCheck = (scope: Scope, arn: string) => boolean;

function prepare(db: Db) {
  // Rows keep their id when a key is overwritten, so a tag keeps its place in the list.
  db.exec(`CREATE TABLE IF NOT EXISTS tags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL, region TEXT NOT NULL, arn TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
    UNIQUE (account, region, arn, key))`);
  return {
    list: db.prepare<[string, string, string], Tag>('SELECT key, value FROM tags WHERE account = ? AND region = ? AND arn = ? ORDER BY id'),
    upsert: db.prepare(`INSERT INTO tags (account, region, arn, key, value) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (account, region, arn, key) DO UPDATE SET value = excluded.value`),
    remove: db.prepare('DELETE FROM tags WHERE account = ? AND region = ? AND arn = ? AND key = ?'),
    clear: db.prepare('DELETE FROM tags WHERE account = ? AND region = ? AND arn = ?'),
  };
}

export class TagStore {
  private readonly checks = new Map<string, ExistsCheck>();
  private readonly stmts: ReturnType<typeof prepare>;
  private readonly setMany: (scope: Scope, arn: string, tags: Tag[]) => void;
  private readonly removeMany: (scope: Scope, arn: string, keys: string[]) => void;

  constructor(db: Db) {
    this.stmts = prepare(db);
    this.setMany = db.transaction((scope: Scope, arn: string, tags: Tag[]) => {
      for (const t of tags) this.stmts.upsert.run(scope.account, scope.region, arn, t.key, t.value);
    });
    this.removeMany = db.transaction((scope: Scope, arn: string, keys: string[]) => {
      for (const k of keys) this.stmts.remove.run(scope.account, scope.region, arn, k);
    });
  }

  /** Makes ARNs of `resourceType` (the ARN segment before `/`, e.g. `model-invocation-job`) taggable. */
  registerResourceType(resourceType: string, exists: ExistsCheck): void {
    this.checks.set(resourceType, exists);
  }

  /** Whether the ARN names a registered, existing resource in the scope. */
  exists(scope: Scope, arn: string): boolean {
    const parsed = parseBedrockArn(arn);
    const check = parsed && this.checks.get(parsed.resourceType);
    return !!check && check(scope, arn);
  }

  /** The resource's tags, in the order they were first set. */
  list(scope: Scope, arn: string): Tag[] {
    return this.stmts.list.all(scope.account, scope.region, arn).map((t) => ({ key: t.key, value: t.value }));
  }

  /** Adds tags, overwriting values of keys already set (TagResource, and Create* operations' `tags`). */
  set(scope: Scope, arn: string, tags: Tag[]): void {
    this.setMany(scope, arn, tags);
  }

  /** Removes the given keys; keys not set are ignored. */
  remove(scope: Scope, arn: string, keys: string[]): void {
    this.removeMany(scope, arn, keys);
  }

  /** Forgets every tag of a deleted resource. */
  clear(scope: Scope, arn: string): void {
    this.stmts.clear.run(scope.account, scope.region, arn);
  }
}
