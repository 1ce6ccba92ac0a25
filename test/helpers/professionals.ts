import { createSession } from '../../src/accounts/sessions';
import { findDirectoryProfessional } from '../../src/directory/professional-directory';
import { toProfessional } from '../../src/accounts/professional';
import { TestClient } from './client';
import type { TestApp } from './context';

/** Demo professionals (demo/professionals.csv). */
export const CLAIRE_MARTIN = '10001234565'; // médecin généraliste, Dominique's and Nicolas's médecin traitant
export const JULIEN_LEFEBVRE = '10002458718'; // médecin généraliste
export const THOMAS_MOREAU = '10009156836'; // pharmacien
export const HELENE_BERNARD = '10012573142'; // urgentiste, régulatrice du SAMU
export const PHILIPPE_LAMBERT = '10013698450'; // médecin du travail

let addresses = 1;

/**
 * A professional's browser, already signed in. The sign-in itself (the
 * OpenID Connect redirect flow) is tested in pro-signin.test.ts; here the
 * session it ends with is opened directly, with the same contents.
 */
export async function professionalClient(t: TestApp, rpps: string): Promise<TestClient> {
  const row = await findDirectoryProfessional(t.ctx.database, rpps);
  if (!row) throw new Error(`no professional ${rpps} in the directory`);
  const professional = toProfessional(row, { rpps });
  const { token } = await createSession(t.ctx.database.db, t.ctx.masterKey, { accountId: rpps, actorKind: 'professional', data: { ...professional } }, t.clock.now());
  const client = new TestClient(t.app, `10.7.0.${addresses++}`);
  client.cookies.set('dmp_session', token);
  return client;
}
