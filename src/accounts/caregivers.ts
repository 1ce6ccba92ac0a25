import { createHmac, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashPassword } from './password-hash';
import { evaluatePassword } from './password-policy';
import { revokeAllSessions } from './sessions';
import { traceInTransaction } from '../audit';
import type { AppContext } from '../platform';
import { deriveKey } from '../platform';
import { AppError, conflict, invalidField, notFound } from '../platform';
import { findInsuredPerson } from '../directory';
import { generateCreationCode, normalizeCreationCode } from '../identity';
import { generateLoginId } from '../identity';
import { enqueueMessage } from '../notify';
import { passThePasswordGate } from './password-gate';
import { findRecord } from '../records';
import { addDays } from './rules';
import { sealPersonal } from './identity';
import { accountsDb, findSignInAccount } from './store';
import type { AccountTables } from './tables';
import { addMember, isMemberOfAny, lockRecord, removeMember, roleOf } from '../records';

/**
 * Caregivers (proches aidants, DOMAIN.md §1): the titulaire invites up to 3 people by email; the
 * invitee accepts with the code received, either with the DMP login they already have or with a
 * caregiver login made for them (migration 0013). Accepting links the login to the record in
 * account_record (role 'caregiver'); removing deletes that link, so access ends at once.
 * Who may invite or remove is the access policy's decision (the routes ask it).
 */

export const MAX_ACTIVE_CAREGIVERS = 3;
export const INVITATION_VALIDITY_DAYS = 14;
const LOGIN_ID_TRIES = 12;

const codeKey = (masterKey: Buffer) => deriveKey(masterKey, 'caregiver-invitation');
/** Bound to the invited address: a code found in someone else's mailbox is not enough. */
const macOf = (key: Buffer, email: string, code: string) => createHmac('sha256', key).update(`${email}:${code}`).digest();

const WRONG_INVITATION = 'Ce code ne correspond pas à cette adresse mail. Vérifiez le code reçu et l’adresse à laquelle il a été envoyé.';

export interface Invitee {
  firstName: string;
  lastName: string;
  email: string;
}

/** Invited and not removed, and either accepted or still acceptable: what counts towards the 3. */
function active(db: Kysely<AccountTables>, recordId: string, now: Date) {
  return db
    .selectFrom('record_caregiver')
    .where('record_id', '=', recordId)
    .where('removed_at', 'is', null)
    .where((eb) => eb.or([eb('accepted_at', 'is not', null), eb('expires_at', '>', now)]));
}

export async function listCaregivers(ctx: AppContext, recordId: string) {
  const rows = await active(accountsDb(ctx), recordId, ctx.clock.now()).selectAll().orderBy('invited_at').execute();
  return rows.map((r) => ({
    caregiverId: r.caregiver_id,
    firstName: r.first_name,
    lastName: r.last_name,
    email: r.email,
    status: r.accepted_at ? ('active' as const) : ('invited' as const),
    invitedAt: r.invited_at.toISOString(),
    acceptedAt: r.accepted_at?.toISOString() ?? null,
    expiresAt: r.expires_at.toISOString(),
  }));
}

/** Queues the invitation email with its code, in the transaction that stores the code's MAC. */
export async function inviteCaregiver(ctx: AppContext, recordId: string, invitedBy: string, invitee: Invitee, patientName: string) {
  const now = ctx.clock.now();
  const code = generateCreationCode();
  const expires = addDays(now, INVITATION_VALIDITY_DAYS);
  const caregiverId = randomUUID();
  await accountsDb(ctx).transaction().execute(async (trx) => {
    // The record's row is the lock: two invitations at once cannot both be the third.
    await lockRecord(trx, recordId);
    const current = await active(trx, recordId, now).select(['email']).execute();
    if (current.some((c) => c.email === invitee.email)) throw conflict('Cette personne est déjà votre proche aidant ou a déjà une invitation en cours.');
    if (current.length >= MAX_ACTIVE_CAREGIVERS) {
      throw new AppError(409, 'too-many-caregivers', 'Trois proches aidants au plus', `Vous avez déjà ${MAX_ACTIVE_CAREGIVERS} proches aidants ou invitations en cours. Retirez-en un pour en inviter un autre.`);
    }
    await trx
      .insertInto('record_caregiver')
      .values({
        record_id: recordId,
        caregiver_id: caregiverId,
        first_name: invitee.firstName,
        last_name: invitee.lastName,
        email: invitee.email,
        code_mac: macOf(codeKey(ctx.masterKey), invitee.email, code),
        invited_by: invitedBy,
        invited_at: now,
        expires_at: expires,
        accepted_at: null,
        login_id: null,
        removed_at: null,
      })
      .execute();
    const site = ctx.config.PUBLIC_URL.replace(/\/+$/, '');
    await enqueueMessage(
      trx,
      ctx.masterKey,
      {
        kind: 'caregiver-invitation',
        to: { email: invitee.email },
        data: { code, firstName: invitee.firstName, lastName: invitee.lastName, patientName, expiresOn: expires.toISOString().slice(0, 10), link: `${site}/aidant` },
      },
      now,
    );
    await traceInTransaction(ctx, trx, {
      recordId,
      actorKind: 'patient',
      actorId: invitedBy,
      action: 'authorization-given',
      allowed: true,
      rule: 'titulaire',
      personal: { details: { target: `${invitee.firstName} ${invitee.lastName} (proche aidant, invitation)` } },
    });
  });
  return { caregiverId, expiresAt: expires.toISOString() };
}

/**
 * Ends a caregiver's access at once: the link goes, so every request of theirs on this record is
 * refused from now on (their role is read at each request), and their sessions end if this record
 * was the only one they acted on.
 */
export async function removeCaregiver(ctx: AppContext, recordId: string, caregiverId: string, removedBy: string): Promise<void> {
  const now = ctx.clock.now();
  const loginId = await accountsDb(ctx).transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('record_caregiver')
      .set({ removed_at: now })
      .where('record_id', '=', recordId)
      .where('caregiver_id', '=', caregiverId)
      .where('removed_at', 'is', null)
      .returning(['login_id', 'first_name', 'last_name'])
      .executeTakeFirst();
    if (!row) throw notFound('Ce proche aidant n’est pas (ou plus) lié à ce DMP.');
    if (row.login_id) {
      await removeMember(trx, recordId, row.login_id, 'caregiver');
    }
    await traceInTransaction(ctx, trx, {
      recordId,
      actorKind: 'patient',
      actorId: removedBy,
      action: 'authorization-revoked',
      allowed: true,
      rule: 'titulaire',
      personal: { details: { target: `${row.first_name} ${row.last_name} (proche aidant)` } },
    });
    return row.login_id;
  });
  if (loginId) {
    if (!(await isMemberOfAny(ctx.database.db, loginId))) await revokeAllSessions(ctx.database.db, loginId, now);
  }
}

export interface Acceptance {
  code: string;
  email: string;
}

export type AcceptWith =
  | { kind: 'existing'; loginId: string; password: string }
  | { kind: 'new'; mobile: string; newPassword: string; newPasswordConfirmation: string };

/** Who invited, for the acceptance screen, once the code and the email match a live invitation. */
export async function checkInvitation(ctx: AppContext, input: Acceptance) {
  const row = await liveInvitation(ctx, accountsDb(ctx), input, ctx.clock.now());
  return { firstName: row.first_name, lastName: row.last_name, patientName: await patientNameOf(ctx, row.record_id) };
}

/** Accepts an invitation; returns the login identifier that now acts as caregiver on the record. */
export async function acceptInvitation(ctx: AppContext, input: Acceptance, how: AcceptWith): Promise<{ loginId: string; created: boolean }> {
  const db = accountsDb(ctx);
  const now = ctx.clock.now();
  const invitation = await liveInvitation(ctx, db, input, now);
  let newAccount: { hash: string; mobile: string } | null = null;
  let loginId: string | null = null;
  if (how.kind === 'existing') {
    const identifier = how.loginId.trim().toLowerCase();
    const account = await findSignInAccount(ctx, identifier, db);
    await passThePasswordGate(ctx, { identifier, storedHash: account?.password_hash ?? null, password: how.password, canReset: true });
    loginId = account!.login_id;
  } else {
    if (how.newPassword !== how.newPasswordConfirmation) {
      throw invalidField('newPasswordConfirmation', 'Les deux mots de passe sont différents. Tapez le même mot de passe deux fois.');
    }
    const verdict = evaluatePassword(how.newPassword, { names: [invitation.first_name, invitation.last_name] });
    if (!verdict.acceptable) throw invalidField('newPassword', verdict.problems.join(' '));
    // Hashing takes tens of milliseconds: before the transaction.
    newAccount = { hash: await hashPassword(how.newPassword), mobile: how.mobile };
  }
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('record_caregiver')
      .selectAll()
      .where('record_id', '=', invitation.record_id)
      .where('caregiver_id', '=', invitation.caregiver_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (row.accepted_at || row.removed_at) throw invalidField('code', 'Cette invitation a déjà servi ou a été retirée.');
    const linkedLogin = loginId ?? (await insertCaregiverAccount(trx, ctx.masterKey, row, newAccount!, now));
    if (await roleOf(trx, linkedLogin, row.record_id)) throw conflict('Ce compte a déjà accès à ce DMP.');
    await addMember(trx, row.record_id, linkedLogin, 'caregiver', now);
    await trx
      .updateTable('record_caregiver')
      .set({ accepted_at: now, login_id: linkedLogin })
      .where('record_id', '=', row.record_id)
      .where('caregiver_id', '=', row.caregiver_id)
      .execute();
    await traceInTransaction(ctx, trx, {
      recordId: row.record_id,
      actorKind: 'caregiver',
      actorId: linkedLogin,
      action: 'authorization-given',
      allowed: true,
      rule: 'caregiver',
      personal: { details: { target: `${row.first_name} ${row.last_name} (proche aidant, invitation acceptée)` } },
    });
    return { loginId: linkedLogin, created: loginId === null };
  });
}

/** The invitation the code and email name, still acceptable; one sentence for every wrong guess. */
async function liveInvitation(ctx: AppContext, db: Kysely<AccountTables>, input: Acceptance, now: Date) {
  const code = normalizeCreationCode(input.code);
  const email = input.email;
  const row = await db.selectFrom('record_caregiver').selectAll().where('code_mac', '=', macOf(codeKey(ctx.masterKey), email, code)).executeTakeFirst();
  if (!row) throw invalidField('code', WRONG_INVITATION);
  if (row.removed_at) throw invalidField('code', 'Cette invitation a été retirée par la personne qui vous l’avait envoyée.');
  if (row.accepted_at) throw invalidField('code', 'Cette invitation a déjà servi. Connectez-vous avec votre identifiant.');
  if (row.expires_at <= now) throw invalidField('code', 'Cette invitation a expiré. Demandez à votre proche de vous inviter à nouveau.');
  return row;
}

/** A caregiver login in the same identifier space as patients' (checked against both tables). */
async function insertCaregiverAccount(
  trx: Kysely<AccountTables>,
  masterKey: Buffer,
  invitation: { first_name: string; last_name: string; email: string },
  account: { hash: string; mobile: string },
  now: Date,
): Promise<string> {
  for (let attempt = 0; attempt < LOGIN_ID_TRIES; attempt++) {
    const loginId = generateLoginId({ extraDigits: Math.floor(attempt / 3) });
    if (await trx.selectFrom('patient_account').select('login_id').where('login_id', '=', loginId).executeTakeFirst()) continue;
    const inserted = await trx
      .insertInto('caregiver_account')
      .values({
        login_id: loginId,
        personal: sealPersonal(masterKey, 'caregiver_account', loginId, {
          first_name: invitation.first_name,
          last_name: invitation.last_name,
          mobile: account.mobile,
          email: invitation.email,
        }),
        password_hash: account.hash,
        code_channel: 'sms',
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('login_id').doNothing())
      .returning('login_id')
      .executeTakeFirst();
    if (inserted) return loginId;
  }
  throw new Error('no free login identifier after several draws');
}

/** «Dominique PAT-TROIS», as the invitation names the patient. */
export async function patientNameOf(ctx: AppContext, recordId: string): Promise<string> {
  const facts = await findRecord(ctx, recordId);
  const person = await findInsuredPerson(ctx, facts.insMatricule);
  return person ? `${person.firstNames.split(' ')[0]} ${person.usedName ?? person.birthName}` : 'Votre proche';
}
