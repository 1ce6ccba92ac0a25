import { createHash } from 'node:crypto';
import { verifyAgainstDummy, verifyPassword } from './password-hash';
import type { AppContext } from '../platform';
import { AppError } from '../platform';
import { lockMinutes } from './rules';
import { accountsDb } from './store';

/**
 * The password step of every sign-in (patients, insurance agents): the typed
 * password is checked against the stored hash, or against a dummy one when the
 * identifier is unknown, so both take the same time and the same path; wrong
 * passwords are counted per typed identifier and lock it for a growing delay.
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
  const failure = await db.selectFrom('login_failure').selectAll().where('identifier_hash', '=', key).executeTakeFirst();
  const passwordOk = gate.storedHash ? await verifyPassword(gate.storedHash, gate.password) : await verifyAgainstDummy(gate.password);

  if (failure?.locked_until && failure.locked_until > now) throw lockedError(failure.locked_until, gate.canReset);
  if (!gate.storedHash || !passwordOk) {
    const failures = (failure?.failures ?? 0) + 1;
    const minutes = lockMinutes(failures);
    const lockedUntil = minutes ? new Date(now.getTime() + minutes * 60_000) : null;
    await db
      .insertInto('login_failure')
      .values({ identifier_hash: key, failures, locked_until: lockedUntil, updated_at: now })
      .onConflict((oc) => oc.column('identifier_hash').doUpdateSet({ failures, locked_until: lockedUntil, updated_at: now }))
      .execute();
    if (gate.storedHash) await gate.onFailure?.(lockedUntil);
    if (lockedUntil) throw lockedError(lockedUntil, gate.canReset);
    throw new AppError(401, 'wrong-credentials', 'Connexion impossible', WRONG_CREDENTIALS);
  }
  if (failure) await db.deleteFrom('login_failure').where('identifier_hash', '=', key).execute();
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
