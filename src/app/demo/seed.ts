import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openRecordWithAccount } from '../../accounts';
import { addAgent } from '../../accounts';
import { seedDemoCareHistory } from './care-history';
import { agentsDb } from '../../accounts';
import { accountsDb, changePersonal, findAccount } from '../../accounts';
import { hashPassword } from '../../accounts';
import type { AppContext } from '../../platform';
import type { BlobStore } from '../../documents';
import { readCdaHeader } from '../../documents';
import { depositDocument } from '../../documents';
import { loadDemoDirectoriesIfEmpty } from '../../directory';
import { findInsuredPerson } from '../../directory';

/**
 * Demo data for a laptop (DEMO_DATA on, never in production): the directories,
 * and two patients who already have a record and a login, so that a newcomer
 * can sign in at once. Dominique PAT-TROIS is the patient of the official CDA
 * examples, which are put in her record with a year of care history from the insurance feed.
 * And one insurance agent for the desk.
 */

export const DEMO_PASSWORD = 'Demo-OpenDMP-2026';
export const DEMO_ACCOUNTS = [
  { loginId: 'dom1979', nir: '279035121518989', withExamples: true },
  { loginId: 'san1976', nir: '176082B03333374', withExamples: false },
] as const;

/** A CPAM reception agent for the desk (/agent): signs in with DEMO_PASSWORD and a code at /dev/outbox. */
export const DEMO_AGENT = {
  agentId: 'ag-sroux',
  firstName: 'Sophie',
  lastName: 'Roux',
  office: 'CPAM du Rhône, accueil de Lyon 3e',
  email: 'sophie.roux@cpam-rhone.demo.fr',
} as const;

const CDA_DIR = fileURLToPath(new URL('../../../demo/cda/', import.meta.url));

export async function seedDemoData(ctx: AppContext, store: BlobStore): Promise<{ accounts: number; documents: number }> {
  await loadDemoDirectoriesIfEmpty(ctx);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  let accounts = 0;
  let documents = 0;
  for (const demo of DEMO_ACCOUNTS) {
    if (await findAccount(ctx, demo.loginId)) continue;
    const person = await findInsuredPerson(ctx, demo.nir);
    if (!person) continue;
    const now = ctx.clock.now();
    const contact = { mobile: person.mobile, email: person.email };
    const { recordId } = await accountsDb(ctx)
      .transaction()
      .execute((trx) => openRecordWithAccount(trx, ctx.masterKey, person, { kind: 'patient', id: person.nir }, contact, passwordHash, now, demo.loginId));
    // A demo account has been through its first login already; codes go by email, readable at /dev/outbox.
    const address = { country: 'France', address_line: person.address.line, postal_code: person.address.postalCode, city: person.address.city };
    await accountsDb(ctx)
      .transaction()
      .execute((trx) => changePersonal(ctx, trx, 'patient_account', demo.loginId, address, { first_login_step: null, password_is_initial: false, code_channel: 'email' }));
    accounts += 1;
    if (!demo.withExamples) continue;
    for (const file of readdirSync(CDA_DIR).filter((f) => f.endsWith('.xml')).sort()) {
      const bytes = readFileSync(CDA_DIR + file);
      const author = readCdaHeader(bytes.toString('utf8')).authors[0];
      await depositDocument(
        ctx,
        store,
        { kind: author?.rpps ? 'professional' : 'insurance', id: author?.rpps ?? 'assurance-maladie', name: author?.name ?? 'Assurance Maladie' },
        { recordId, insMatricule: person.nir },
        { bytes },
      );
      documents += 1;
    }
    await seedDemoCareHistory(ctx, store, recordId, person.nir);
  }
  await seedDemoAgent(ctx);
  return { accounts, documents };
}

async function seedDemoAgent(ctx: AppContext): Promise<void> {
  if (await agentsDb(ctx).selectFrom('insurance_agent').select('agent_id').where('agent_id', '=', DEMO_AGENT.agentId).executeTakeFirst()) return;
  const added = await addAgent(ctx, DEMO_AGENT, { password: DEMO_PASSWORD, initial: false });
  if (added.agentId !== DEMO_AGENT.agentId) throw new Error(`the demo agent got ${added.agentId}`);
}
