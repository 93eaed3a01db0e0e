// Application inference profiles, per account and region, in one SQLite table. System-defined profiles are data in
// the registry; only the ones users create live here. `lookup` is what runtime and batch use to resolve an
// application-profile ARN to the model source it was copied from.
import { randomBytes } from 'node:crypto';
import { formatBedrockArn, parseBedrockArn } from '../../registry/index.js';
import type { Db, Scope } from '../db.js';

export interface ApplicationProfile {
  /** 12 lowercase alphanumerics, the last segment of the ARN. */
  id: string;
  arn: string;
  name: string;
  description?: string;
  /** The `modelSource.copyFrom` ARN it was created from (a foundation model or a system profile). */
  copyFrom: string;
  /** Foundation-model ARNs it routes to, in the order GetInferenceProfile lists them. */
  models: string[];
  createdAt: Date;
  updatedAt: Date;
  clientRequestToken?: string;
}

/** What resolving an application-profile ARN needs: the source it was copied from and the models it routes to. */
export interface ApplicationProfileSource {
  arn: string;
  modelSource: string;
  models: string[];
}

interface Row {
  id: string;
  arn: string;
  name: string;
  description: string | null;
  copy_from: string;
  models: string;
  created_at: number;
  updated_at: number;
  client_request_token: string | null;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** 12 lowercase alphanumerics, as AWS's application-profile ids (`hq2of259skzs`). */
export function newProfileId(): string {
  return Array.from(randomBytes(12), (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
}

export const applicationProfileArn = (scope: Scope, id: string) =>
  formatBedrockArn({ region: scope.region, account: scope.account, resourceType: 'application-inference-profile', resourceId: id });

const fromRow = (r: Row): ApplicationProfile => ({
  id: r.id,
  arn: r.arn,
  name: r.name,
  ...(r.description !== null ? { description: r.description } : {}),
  copyFrom: r.copy_from,
  models: JSON.parse(r.models),
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  ...(r.client_request_token !== null ? { clientRequestToken: r.client_request_token } : {}),
});

function prepare(db: Db) {
  db.exec(`CREATE TABLE IF NOT EXISTS application_profiles (
    account TEXT NOT NULL, region TEXT NOT NULL, id TEXT NOT NULL, arn TEXT NOT NULL, name TEXT NOT NULL,
    description TEXT, copy_from TEXT NOT NULL, models TEXT NOT NULL,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, client_request_token TEXT,
    PRIMARY KEY (account, region, id),
    UNIQUE (account, region, name))`);
  const cols = 'id, arn, name, description, copy_from, models, created_at, updated_at, client_request_token';
  type Key = [string, string, string];
  return {
    byId: db.prepare<Key, Row>(`SELECT ${cols} FROM application_profiles WHERE account = ? AND region = ? AND id = ?`),
    byName: db.prepare<Key, Row>(`SELECT ${cols} FROM application_profiles WHERE account = ? AND region = ? AND name = ?`),
    byToken: db.prepare<Key, Row>(`SELECT ${cols} FROM application_profiles WHERE account = ? AND region = ? AND client_request_token = ?`),
    list: db.prepare<[string, string], Row>(`SELECT ${cols} FROM application_profiles WHERE account = ? AND region = ? ORDER BY created_at, id`),
    count: db.prepare<[string, string], { n: number }>('SELECT COUNT(*) AS n FROM application_profiles WHERE account = ? AND region = ?'),
    insert: db.prepare(`INSERT INTO application_profiles (account, region, ${cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    remove: db.prepare('DELETE FROM application_profiles WHERE account = ? AND region = ? AND id = ?'),
  };
}

export class ProfileStore {
  private readonly stmts: ReturnType<typeof prepare>;

  constructor(db: Db) {
    this.stmts = prepare(db);
  }

  /** Stores a new profile; the caller has checked the name is free (UNIQUE would throw otherwise). */
  insert(scope: Scope, p: ApplicationProfile): ApplicationProfile {
    this.stmts.insert.run(
      scope.account,
      scope.region,
      p.id,
      p.arn,
      p.name,
      p.description ?? null,
      p.copyFrom,
      JSON.stringify(p.models),
      p.createdAt.getTime(),
      p.updatedAt.getTime(),
      p.clientRequestToken ?? null,
    );
    return p;
  }

  /** By bare id or by ARN; an ARN of another account or region is not found here. */
  get(scope: Scope, arnOrId: string): ApplicationProfile | undefined {
    const id = idFromArnOrId(scope, arnOrId);
    const row = id === undefined ? undefined : this.stmts.byId.get(scope.account, scope.region, id);
    return row && fromRow(row);
  }

  byName(scope: Scope, name: string): ApplicationProfile | undefined {
    const row = this.stmts.byName.get(scope.account, scope.region, name);
    return row && fromRow(row);
  }

  byClientRequestToken(scope: Scope, token: string): ApplicationProfile | undefined {
    const row = this.stmts.byToken.get(scope.account, scope.region, token);
    return row && fromRow(row);
  }

  /** Oldest first. */
  list(scope: Scope): ApplicationProfile[] {
    return this.stmts.list.all(scope.account, scope.region).map(fromRow);
  }

  count(scope: Scope): number {
    return this.stmts.count.get(scope.account, scope.region)!.n;
  }

  delete(scope: Scope, id: string): boolean {
    return this.stmts.remove.run(scope.account, scope.region, id).changes > 0;
  }

  /** Resolves an application-profile ARN (or id) for runtime and batch; undefined when it does not exist here. */
  lookup(scope: Scope, arnOrId: string): ApplicationProfileSource | undefined {
    const p = this.get(scope, arnOrId);
    return p && { arn: p.arn, modelSource: p.copyFrom, models: p.models };
  }
}

function idFromArnOrId(scope: Scope, arnOrId: string): string | undefined {
  if (!arnOrId.startsWith('arn:')) return arnOrId;
  const arn = parseBedrockArn(arnOrId, 'application-inference-profile');
  return arn && arn.region === scope.region && arn.account === scope.account ? arn.resourceId : undefined;
}
