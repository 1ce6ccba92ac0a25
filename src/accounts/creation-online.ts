import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppContext } from '../platform';
import { deriveKey } from '../platform';
import { invalidField } from '../platform';
import { findInsuredPerson, type InsuredPersonRecord } from '../directory';
import { generateCreationCode, normalizeCreationCode } from '../identity';
import { hashPassword } from './password-hash';
import { enqueueMessage } from '../notify';
import { traceInTransaction } from '../audit';
import { openRecordWithAccount, type Contact } from './open-record';
import { addDays, CREATION_CODE_MAX_FAILURES, CREATION_CODE_VALIDITY_DAYS, generateInitialPassword } from './rules';
import { nirIndex } from './identity';
import type { AccountTables } from './tables';
import { insHasRecord } from '../records';

/**
 * Creating a record online (DOMAIN.md §2, seed 001): the person asks for a
 * creation code with their NIR, receives it by email or by post, then creates
 * the record with the code, their NIR and their Vitale card.
 */

const codeKey = (masterKey: Buffer) => deriveKey(masterKey, 'creation-code');
const macOf = (key: Buffer, nir: string, code: string) => createHmac('sha256', key).update(`${nir}:${code}`).digest();

export const CODE_REQUEST_ANSWER =
  'Si votre numéro de sécurité sociale est connu, vous allez recevoir un code de création par mail, ou par courrier si nous n’avons pas votre mail.';

/**
 * Sends a creation code when the NIR belongs to an insured person with no record (the queued
 * request's work, creation-code-requests.ts). The door answered the same sentence in every case
 * before this runs, so nobody can probe who is insured. `claim` takes the request in the
 * transaction that sends the code, and says false when another node took it first.
 */
export async function sendCreationCode(
  ctx: AppContext,
  request: { nir: string; requestedAt: Date },
  claim: (trx: Kysely<AccountTables>) => Promise<boolean>,
): Promise<void> {
  const { nir } = request;
  const person = await findInsuredPerson(ctx, nir);
  const isChild = !!person && person.cardHolderNir !== person.nir;
  // Read before the transaction: the embedded database has one connection, held by a transaction.
  const holder = person && isChild ? await findInsuredPerson(ctx, person.cardHolderNir) : null;
  // The code is valid from the moment it was asked for, however long the queue took.
  const now = request.requestedAt;
  const db = ctx.database.db.withTables<AccountTables>();
  await db.transaction().execute(async (trx) => {
    if (!(await claim(trx)) || !person) return;
    if (await recordExists(trx, nir)) return;
    if (isChild) return explainChildCreation(ctx, trx, holder, now);
    const code = generateCreationCode();
    const expires = addDays(now, CREATION_CODE_VALIDITY_DAYS);
    await trx
      .insertInto('creation_code')
      .values({ nir_index: nirIndex(ctx.masterKey, nir), id: randomUUID(), code_mac: macOf(codeKey(ctx.masterKey), nir, code), created_at: now, expires_at: expires })
      .execute();
    const data = { code, firstName: firstNameOf(person), lastName: person.usedName ?? person.birthName, expiresOn: expires.toISOString().slice(0, 10) };
    const to = person.email
      ? { email: person.email }
      : { postal: { name: `${firstNameOf(person)} ${person.usedName ?? person.birthName}`, ...addressOf(person) } };
    await enqueueMessage(trx, ctx.masterKey, { kind: 'creation-code', to, data }, now);
  });
}

/** A child's record is opened from the card holder's own space; tell the holder where. */
async function explainChildCreation(ctx: AppContext, trx: Kysely<AccountTables>, holder: InsuredPersonRecord | null, now: Date) {
  if (!holder?.email) return;
  await enqueueMessage(
    trx,
    ctx.masterKey,
    {
      kind: 'notification',
      to: { email: holder.email },
      data: {
        title: 'Créer le DMP de votre enfant',
        body: 'Le DMP d’un enfant inscrit sur votre carte Vitale se crée depuis votre propre DMP, dans la rubrique « Mes proches ».',
        link: `${ctx.config.PUBLIC_URL}/mon-dmp/proches`,
      },
    },
    now,
  );
}

export interface OnlineCreation {
  code: string;
  nir: string;
  vitaleType: 'photo' | 'sans_photo';
  vitaleSerial: string;
  contact: Contact;
}

export interface Credentials {
  loginId: string;
  initialPassword: string;
  recordId: string;
  person: InsuredPersonRecord;
}

/** Checks the code and the card, then opens the record. Every refusal names its field and changes nothing but the failure count. */
export async function createRecordOnline(ctx: AppContext, input: OnlineCreation): Promise<Credentials> {
  const code = normalizeCreationCode(input.code);
  const initialPassword = generateInitialPassword();
  // Hashing takes tens of milliseconds: do it before taking a transaction.
  const passwordHash = await hashPassword(initialPassword);
  const person = await findInsuredPerson(ctx, input.nir);
  const now = ctx.clock.now();
  const db = ctx.database.db.withTables<AccountTables>();
  const opened = await db.transaction().execute(async (trx) => {
    const judged = await judgeCreationCode(ctx, trx, input.nir, code, now);
    // A wrong code is counted in this transaction, which therefore commits: the refusal comes after.
    if ('refusal' in judged) return judged;
    if (!person) throw invalidField('nir', 'Ce numéro de sécurité sociale ne correspond pas au code.');
    if (person.vitaleType !== input.vitaleType) {
      throw invalidField('vitaleType', 'Le type de carte ne correspond pas à votre carte Vitale.');
    }
    if (person.vitaleSerial !== input.vitaleSerial.replace(/\s/g, '')) {
      throw invalidField('vitaleSerial', 'Le numéro de série ne correspond pas à votre carte Vitale.');
    }
    const result = await openRecordWithAccount(trx, ctx.masterKey, person, { kind: 'patient', id: person.nir }, input.contact, passwordHash, now);
    await traceInTransaction(ctx, trx, { recordId: result.recordId, actorKind: 'patient', actorId: result.loginId, action: 'create', allowed: true, rule: 'titulaire', personal: { details: { channel: 'online' } } });
    await trx.updateTable('creation_code').set({ used_at: now }).where('nir_index', '=', nirIndex(ctx.masterKey, input.nir)).where('id', '=', judged.codeId).execute();
    return result;
  });
  if ('refusal' in opened) throw invalidField('code', opened.refusal);
  return { ...opened, initialPassword, person: person! };
}

type Judged = { codeId: string } | { refusal: string };

/**
 * Finds the code among the NIR's codes, their rows locked until the transaction ends; refuses an
 * expired, used or worn-out one. A wrong code is counted against every live code of that NIR
 * while the rows are still locked, so that a right code waiting behind wrong ones sees them all.
 */
async function judgeCreationCode(ctx: AppContext, trx: Kysely<AccountTables>, nir: string, code: string, now: Date): Promise<Judged> {
  const index = nirIndex(ctx.masterKey, nir);
  const codes = await trx.selectFrom('creation_code').selectAll().where('nir_index', '=', index).forUpdate().execute();
  const mac = macOf(codeKey(ctx.masterKey), nir, code);
  const match = codes.find((c) => c.code_mac.length === mac.length && timingSafeEqual(c.code_mac, mac));
  if (!match) {
    await countWrongCode(trx, index);
    return { refusal: 'Ce code n’est pas valable. Vérifiez le code reçu et votre numéro de sécurité sociale.' };
  }
  if (match.used_at) throw invalidField('code', 'Ce code a déjà servi. Un code ne sert qu’une fois.');
  if (match.expires_at <= now) throw invalidField('code', 'Ce code a expiré. Demandez un nouveau code.');
  if (match.failed_attempts >= CREATION_CODE_MAX_FAILURES) {
    throw invalidField('code', 'Ce code est bloqué après trop d’essais. Demandez un nouveau code.');
  }
  return { codeId: match.id };
}

/** A wrong guess counts against every live code of that NIR. */
async function countWrongCode(trx: Kysely<AccountTables>, index: Buffer) {
  await trx
    .updateTable('creation_code')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('nir_index', '=', index)
    .where('used_at', 'is', null)
    .execute();
}

function recordExists(trx: Kysely<AccountTables>, nir: string): Promise<boolean> {
  return insHasRecord(trx, nir);
}

const firstNameOf = (p: InsuredPersonRecord) => p.firstNames.split(' ')[0] ?? p.firstNames;
const addressOf = (p: InsuredPersonRecord) => ({ line: p.address.line, postalCode: p.address.postalCode, city: p.address.city });
