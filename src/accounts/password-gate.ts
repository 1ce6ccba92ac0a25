import { createHash } from 'node:crypto';
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { verifyAgainstDummy, verifyPassword } from './password-hash';
import type { AppContext } from '../platform';
import { AppError } from '../platform';
import { lockMinutes } from './rules';
import { accountsDb } from './store';
import type { AccountTables } from './tables';

/**
 * The password step of every sign-in (patients, insurance agents): the typed
 * password is checked against the stored hash, or against a dummy one when the
 * identifier is unknown, so both take the same time and the same path; wrong
 * passwords are counted per typed identifier, atomically (parallel tries are all
 * counted), and lock it for a growing delay.
 */

export const WRONG_CREDENTIALS = 'Identifiant ou mot de passe incorrect.';

const identifierHash = (identifier: string) => createHash('sha256').update(identifier).digest();

function lockedError(until: Date, forgotten: boolean): AppError {
  const time = until.toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' }).replace(':', ' h ');
  const end = forgotten ? ' Vous pouvez aussi choisir « Mot de passe oublié ».' : '';
  return new AppError(423, 'account-locked', 'Compte bloqué', `Après plusieurs erreurs de mot de passe, votre compte est bloqué jusqu’à ${time}.${end}`);
}

export interface PasswordGate {
  /** What the failures are counted on: the typed identifier, normalized, in its own namespace. */
  identifier: string;
  /** The stored hash, or null when the identifier is unknown. */
  storedHash: string | null;
  password: string;
  /** Whether the locked message may point to «Mot de passe oublié» (patients only). */
  canReset: boolean;
  /** Called after a wrong password on a known account (to trace it), with the lock if one started. */
  onFailure?: (lockedUntil: Date | null) => Promise<void>;
}

/** Resolves when the password is right and the identifier not locked; throws the answer otherwise. */
export async function passThePasswordGate(ctx: AppContext, gate: PasswordGate): Promise<void> {
  const db = accountsDb(ctx);
  const now = ctx.clock.now();
  const key = identifierHash(gate.identifier);
  const passwordOk = gate.storedHash ? await verifyPassword(gate.storedHash, gate.password) : await verifyAgainstDummy(gate.password);

  if (gate.storedHash && passwordOk) {
    const lockedUntil = await forgiveFailures(db, key, now);
    if (lockedUntil) throw lockedError(lockedUntil, gate.canReset);
    return;
  }
  const failure = await countFailure(db, key, now);
  if (failure.lockRunning) throw lockedError(failure.lockRunning, gate.canReset);
  if (gate.storedHash) await gate.onFailure?.(failure.lockedUntil);
  if (failure.lockedUntil) throw lockedError(failure.lockedUntil, gate.canReset);
  throw new AppError(401, 'wrong-credentials', 'Connexion impossible', WRONG_CREDENTIALS);
}

const lockNotRunning = (now: Date) => (eb: ExpressionBuilder<AccountTables, 'login_failure'>) =>
  eb.or([eb('login_failure.locked_until', 'is', null), eb('login_failure.locked_until', '<=', now)]);

/**
 * Counts one more wrong password, in one atomic upsert whose returned count decides the lock:
 * parallel wrong passwords each get their own number, so the fifth locks however they arrive.
 * The count's row stays locked until the lock it starts (`lockedUntil`) is written. A try while a
 * lock runs is not counted: it gets the running lock (`lockRunning`).
 */
async function countFailure(db: Kysely<AccountTables>, key: Buffer, now: Date): Promise<{ lockedUntil: Date | null; lockRunning: Date | null }> {
  return db.transaction().execute(async (trx) => {
    const counted = await trx
      .insertInto('login_failure')
      .values({ identifier_hash: key, failures: 1, locked_until: null, updated_at: now })
      .onConflict((oc) =>
        oc
          .column('identifier_hash')
          .doUpdateSet({ failures: sql<number>`login_failure.failures + 1`, updated_at: now })
          .where(lockNotRunning(now)),
      )
      .returning('failures')
      .executeTakeFirst();
    if (!counted) {
      const running = await trx.selectFrom('login_failure').select('locked_until').where('identifier_hash', '=', key).executeTakeFirstOrThrow();
      return { lockedUntil: null, lockRunning: running.locked_until };
    }
    const minutes = lockMinutes(counted.failures);
    if (!minutes) return { lockedUntil: null, lockRunning: null };
    const lockedUntil = new Date(now.getTime() + minutes * 60_000);
    await trx.updateTable('login_failure').set({ locked_until: lockedUntil }).where('identifier_hash', '=', key).execute();
    return { lockedUntil, lockRunning: null };
  });
}

/** After a right password: the running lock's end, if any; otherwise the count starts again. */
async function forgiveFailures(db: Kysely<AccountTables>, key: Buffer, now: Date): Promise<Date | null> {
  const failure = await db.selectFrom('login_failure').select('locked_until').where('identifier_hash', '=', key).executeTakeFirst();
  if (failure?.locked_until && failure.locked_until > now) return failure.locked_until;
  // A lock started by a parallel wrong password since the read above is kept.
  if (failure) await db.deleteFrom('login_failure').where('identifier_hash', '=', key).where(lockNotRunning(now)).execute();
  return null;
}

/**
 * Forgets the wrong-password counts of identifiers left alone for a day and not locked: the
 * growing lock answers a burst of guesses, not a typo made last month. Returns how many.
 */
export async function purgeStaleFailures(ctx: Pick<AppContext, 'database'>, now: Date): Promise<number> {
  const dayAgo = new Date(now.getTime() - 24 * 3600_000);
  const result = await accountsDb(ctx)
    .deleteFrom('login_failure')
    .where('updated_at', '<', dayAgo)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
