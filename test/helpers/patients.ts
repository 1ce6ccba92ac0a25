import assert from 'node:assert/strict';
import { TestClient } from './client';
import type { TestApp } from './context';
import { lastCode } from './outbox';

export interface DemoPerson {
  nir: string;
  serial: string;
  email: string;
  vitaleType?: 'photo' | 'sans_photo';
}

/** Dominique PAT-TROIS: the patient of the official CDA examples, in the demo directory. */
export const DOMINIQUE: DemoPerson = { nir: '279035121518989', serial: '1301742785620917', email: 'dominique.pat-trois@example.org' };
export const STRONG_PASSWORD = 'Brindille-Ocre-Tamis-42';

let addresses = 100;

/**
 * A patient who created their record online, logged in and finished the
 * first-login wizard, exactly through the public API: the client holds the session.
 */
export async function signedInPatient(t: TestApp, person: DemoPerson): Promise<{ client: TestClient; recordId: string; loginId: string }> {
  const client = new TestClient(t.app, `10.9.${Math.floor(addresses / 250)}.${addresses++ % 250}`);
  const ok = (res: { statusCode: number; body: string }, status = 200) => assert.equal(res.statusCode, status, res.body);
  ok(await client.post('/api/creation/code-requests', { nir: person.nir, nirConfirmation: person.nir }), 202);
  const created = await client.post('/api/creation/records', {
    code: await lastCode(t.ctx, 'creation-code', person.email),
    nir: person.nir,
    vitaleType: person.vitaleType ?? 'photo',
    vitaleSerial: person.serial,
    email: person.email,
    acceptTerms: true,
  });
  ok(created, 201);
  const { loginId, initialPassword } = created.json();
  const start = await client.post('/api/auth/login', { loginId, password: initialPassword });
  ok(start);
  ok(await client.post('/api/auth/login/verify', { challengeId: start.json().challengeId, code: await lastCode(t.ctx, 'login-code', person.email) }));
  ok(
    await client.put('/api/me/first-login/personal', {
      civility: 'Mme', addressLine: '1 rue de la Paix', postalCode: '75002', city: 'Paris', country: 'France', birthCountry: 'France',
      mobile: '0639980050', mobileConfirmation: '0639980050', email: person.email, emailConfirmation: person.email,
    }),
  );
  ok(await client.put('/api/me/first-login/password', { newPassword: STRONG_PASSWORD, newPasswordConfirmation: STRONG_PASSWORD, codeChannel: 'email' }));
  ok(await client.put('/api/me/first-login/emergency', { breakGlass: true, samu: true }));
  const me = (await client.get('/api/me')).json();
  return { client, recordId: me.currentRecordId, loginId };
}
