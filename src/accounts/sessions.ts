/**
 * Server-side sessions. The browser holds a 32-byte random token; the
 * database holds its SHA-256, so a copy of the table signs nobody in. A
 * session ends after 30 minutes without activity, 12 hours after it began,
 * or when revoked (sign-out, password change). What the session carries (a professional's
 * name and profession, the record being viewed) is sealed, bound to the session's id
 * (migration 0019).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ColumnType, Kysely, Selectable } from 'kysely';
import { identitySeal } from '../platform';

export type ActorKind = 'patient' | 'professional' | 'agent';
export type SessionData = Record<string, unknown>;

export type SessionTables = {
  session: {
    id: string;
    /** PostgreSQL hands back a Buffer, the embedded database a Uint8Array. */
    token_hash: ColumnType<Uint8Array, Buffer, never>;
    account_id: string;
    actor_kind: ActorKind;
    created_at: Date;
    last_seen_at: Date;
    expires_at: Date;
    revoked_at: Date | null;
    /** Sealed JSON of SessionData (migration 0019). */
    sealed_data: ColumnType<Uint8Array, Buffer, Buffer>;
  };
};

export interface Session {
  id: string;
  accountId: string;
  actorKind: ActorKind;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  data: SessionData;
}

export const SESSION_ABSOLUTE_MS = 12 * 3600_000;
export const SESSION_IDLE_MS = 30 * 60_000;
/** last_seen_at is written at most this often: one write a minute per active session, not one per request. */
export const SESSION_TOUCH_MS = 60_000;
const TOKEN_BYTES = 32;

/** Any handle: the app's database, one typed with other tables, or a transaction (to sign in atomically). */
export type AnyKysely = Kysely<any>;
const sessionTables = (db: AnyKysely) => db as Kysely<SessionTables>;

export type SessionStatus = 'active' | 'revoked' | 'expired' | 'idle';

/** Pure: what a stored session is worth at `now`. */
export function sessionStatus(
  session: Pick<Session, 'revokedAt' | 'expiresAt' | 'lastSeenAt'>,
  now: Date,
): SessionStatus {
  if (session.revokedAt) return 'revoked';
  if (now.getTime() >= session.expiresAt.getTime()) return 'expired';
  if (now.getTime() - session.lastSeenAt.getTime() >= SESSION_IDLE_MS) return 'idle';
  return 'active';
}

export interface NewSession {
  accountId: string;
  actorKind: ActorKind;
  data?: SessionData;
}

/** Opens a session; the token goes into the cookie and is never stored. */
export async function createSession(
  db: AnyKysely,
  masterKey: Buffer,
  { accountId, actorKind, data = {} }: NewSession,
  now: Date,
): Promise<{ token: string; session: Session }> {
  const raw = randomBytes(TOKEN_BYTES);
  const row = {
    id: randomUUID(),
    token_hash: sha256(raw),
    account_id: accountId,
    actor_kind: actorKind,
    created_at: now,
    last_seen_at: now,
    expires_at: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
    revoked_at: null,
  };
  await sessionTables(db)
    .insertInto('session')
    .values({ ...row, sealed_data: sealSessionData(masterKey, row.id, data) })
    .execute();
  return { token: raw.toString('base64url'), session: { ...toSession(row), data } };
}

/** The session a token opens at `now`, or null; notes the activity (at most once a minute). */
export async function findSession(db: AnyKysely, masterKey: Buffer, token: string, now: Date): Promise<Session | null> {
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== TOKEN_BYTES || raw.toString('base64url') !== token) return null;
  const tables = sessionTables(db);
  const row = await tables.selectFrom('session').selectAll().where('token_hash', '=', sha256(raw)).executeTakeFirst();
  if (!row) return null;
  const session = toSession(row);
  if (sessionStatus(session, now) !== 'active') return null;
  session.data = identitySeal(masterKey).open<SessionData>(`session:${row.id}:data`, row.sealed_data);
  if (now.getTime() - session.lastSeenAt.getTime() >= SESSION_TOUCH_MS) {
    await tables
      .updateTable('session')
      .set({ last_seen_at: now })
      .where('id', '=', session.id)
      .where('last_seen_at', '<', now)
      .execute();
    session.lastSeenAt = now;
  }
  return session;
}

/** Replaces the session's data (the selected record, a wizard's progress…). */
export async function updateSessionData(db: AnyKysely, masterKey: Buffer, sessionId: string, data: SessionData): Promise<void> {
  await sessionTables(db)
    .updateTable('session')
    .set({ sealed_data: sealSessionData(masterKey, sessionId, data) })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeSession(db: AnyKysely, sessionId: string, now: Date): Promise<void> {
  await sessionTables(db)
    .updateTable('session')
    .set({ revoked_at: now })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Ends every open session of an account (after a password change: all but the current one). Returns how many. */
export async function revokeAllSessions(
  db: AnyKysely,
  accountId: string,
  now: Date,
  exceptSessionId?: string,
): Promise<number> {
  let query = sessionTables(db)
    .updateTable('session')
    .set({ revoked_at: now })
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null);
  if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Deletes sessions that can no longer be used (ended, idle or revoked); returns how many. */
export async function purgeEndedSessions(db: AnyKysely, now: Date): Promise<number> {
  const result = await sessionTables(db)
    .deleteFrom('session')
    .where((eb) =>
      eb.or([
        eb('expires_at', '<=', now),
        eb('last_seen_at', '<=', new Date(now.getTime() - SESSION_IDLE_MS)),
        eb('revoked_at', 'is not', null),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

type SessionRow = Omit<Selectable<SessionTables['session']>, 'token_hash' | 'sealed_data'>;

export const sealSessionData = (masterKey: Buffer, sessionId: string, data: SessionData): Buffer => identitySeal(masterKey).seal(`session:${sessionId}:data`, data);

/** The session's clear columns; its data is opened only for a session still in use. */
function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    accountId: row.account_id,
    actorKind: row.actor_kind,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    data: {},
  };
}

function sha256(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest();
}
