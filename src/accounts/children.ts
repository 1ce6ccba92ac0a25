import type { AppContext } from '../platform';
import { AppError } from '../platform';
import { findInsuredPerson, listPersonsOnCard, type InsuredPersonRecord } from '../directory';
import { traceInTransaction } from '../audit';
import { accountsDb, findAccount } from './store';
import { addMember, insertRecord, insWithRecords } from '../records';

/**
 * A child on a parent's Vitale card gets their own record (their own INS);
 * the parent, signed in, opens it with the child's consent as the law asks of
 * a minor's representative, and becomes its legal representative.
 */

export async function eligibleChildren(ctx: AppContext, loginId: string): Promise<InsuredPersonRecord[]> {
  const db = accountsDb(ctx);
  const account = await findAccount(ctx, loginId, db);
  if (!account) return [];
  const onCard = (await listPersonsOnCard(ctx, account.nir)).filter((p) => p.nir !== account.nir);
  const withRecord = await insWithRecords(db, onCard.map((p) => p.nir));
  return onCard.filter((p) => !withRecord.has(p.nir));
}

export async function openChildRecord(ctx: AppContext, loginId: string, childNir: string): Promise<string> {
  const db = accountsDb(ctx);
  const account = await findAccount(ctx, loginId, db);
  const child = await findInsuredPerson(ctx, childNir);
  if (!account || !child || child.cardHolderNir !== account.nir || child.nir === account.nir) {
    throw new AppError(403, 'forbidden', 'Accès refusé', 'Cette personne n’est pas inscrite sur votre carte Vitale.');
  }
  const now = ctx.clock.now();
  return db.transaction().execute(async (trx) => {
    const recordId = await insertRecord(trx, child, { kind: 'representative', id: loginId }, now);
    await addMember(trx, recordId, loginId, 'legal_representative', now);
    await traceInTransaction(ctx, trx, { recordId, actorKind: 'representative', actorId: loginId, action: 'create', allowed: true, rule: 'legal-representative' });
    return recordId;
  });
}
