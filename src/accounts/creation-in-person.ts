import type { AppContext } from '../platform';
import { AppError, invalidField } from '../platform';
import { findInsuredPerson } from '../directory';
import { normalizeFrenchMobile } from '../directory';
import { hashPassword } from './password-hash';
import { traceInTransaction } from '../audit';
import { openRecordWithAccount } from './open-record';
import { generateInitialPassword } from './rules';
import { accountsDb } from './store';
import { nirIndex } from './identity';
import { addMember, insertRecord } from '../records';

/**
 * Creating a record with the patient present (DOMAIN.md §2, ways 2 and 3): a
 * professional with the Vitale card in the reader, or an insurance agent at
 * the desk. The patient's yes is required and recorded with who took it and
 * when. The result is the same as online: a record, an identifier and an
 * initial password shown once (and the credentials letter).
 */

export interface InPersonCreation {
  /** The beneficiary's own NIR, read from the card (a child on a parent's card has their own). */
  nir: string;
  vitaleSerial: string;
  mobile: string;
  consent: boolean;
}

export interface Creator {
  kind: 'professional' | 'agent';
  /** RPPS number or agent identifier. */
  id: string;
  /** For the patient's history: «Dr Claire Martin, médecin», «Sophie Roux, CPAM du Rhône». */
  name?: string;
  profession?: string;
  workplace?: string;
}

export type InPersonResult =
  | { kind: 'account'; recordId: string; loginId: string; initialPassword: string; birthName: string; firstNames: string }
  | { kind: 'child'; recordId: string; representativeLoginId: string; birthName: string; firstNames: string };

export async function createRecordInPerson(ctx: AppContext, creator: Creator, input: InPersonCreation): Promise<InPersonResult> {
  if (!input.consent) throw invalidField('consent', 'Le patient doit donner son accord pour créer son DMP. Cochez la case quand il a dit oui.');
  const person = await findInsuredPerson(ctx, input.nir);
  if (!person || person.vitaleSerial !== input.vitaleSerial.replace(/\s/g, '')) {
    throw invalidField('vitaleSerial', 'Cette carte Vitale ne correspond pas à ce patient. Vérifiez le numéro de série et le bénéficiaire choisi.');
  }
  const now = ctx.clock.now();
  const db = accountsDb(ctx);
  const names = { birthName: person.birthName, firstNames: person.firstNames };
  const created = (recordId: string) => ({
    recordId,
    actorKind: creator.kind,
    actorId: creator.id,
    action: 'create' as const,
    allowed: true,
    rule: creator.kind === 'agent' ? 'insurance-agent-creation' : 'professional-creation',
    personal: {
      actorName: creator.name,
      profession: creator.profession,
      workplace: creator.workplace,
      details: { consentRecordedBy: creator.id, consentRecordedAt: now.toISOString() },
    },
  });

  if (person.cardHolderNir !== person.nir) {
    // A child: the record is opened under the card holder, who becomes its legal representative.
    const holder = await db.selectFrom('account_by_nir').select('login_id').where('nir_index', '=', nirIndex(ctx.masterKey, person.cardHolderNir)).executeTakeFirst();
    if (!holder) {
      throw new AppError(409, 'holder-without-record', 'DMP du parent nécessaire', 'Créez d’abord le DMP du titulaire de la carte Vitale : il gérera ensuite le DMP de l’enfant.');
    }
    const recordId = await db.transaction().execute(async (trx) => {
      const id = await insertRecord(trx, person, creator, now);
      await addMember(trx, id, holder.login_id, 'legal_representative', now);
      await traceInTransaction(ctx, trx, created(id));
      return id;
    });
    return { kind: 'child', recordId, representativeLoginId: holder.login_id, ...names };
  }

  const mobile = normalizeFrenchMobile(input.mobile);
  if (!mobile) throw invalidField('mobile', 'Ce numéro de portable n’est pas valable. Exemple : 06 12 34 56 78.');
  const initialPassword = generateInitialPassword();
  const passwordHash = await hashPassword(initialPassword);
  const opened = await db.transaction().execute(async (trx) => {
    const result = await openRecordWithAccount(trx, ctx.masterKey, person, creator, { mobile, email: person.email }, passwordHash, now);
    await traceInTransaction(ctx, trx, created(result.recordId));
    return result;
  });
  return { kind: 'account', ...opened, initialPassword, ...names };
}
