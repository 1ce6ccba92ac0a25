import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { lastCode, queuedMessages } from './helpers/outbox';

/** Demo people (demo/insured-persons.csv). */
const NICOLAS = { nir: '185054958815725', serial: '1242687940214477', email: 'nicolas.durand@example.com' };
const ELODIE = { nir: '287094410927272', serial: '1115613774503792', email: 'elodie.durand@example.com' };
const GERMAINE = { nir: '238043726159428', serial: '1060998939323723' };
const LEO = { nir: '115034900701048' };
const STRONG = 'Brindille-Ocre-Tamis-42';
const MINUTE = 60_000;

let t: TestApp;
let ipCounter = 0;
/** A new client, from a new address, so that one test's rate limits do not spill into another's. */
const newClient = () => new TestClient(t.app, `10.0.0.${++ipCounter}`);

before(async () => {
  t = await startTestApp();
  await loadDemoDirectoriesIfEmpty(t.ctx);
});
after(async () => t.close());

async function requestCode(client: TestClient, nir: string) {
  const res = await client.post('/api/creation/code-requests', { nir, nirConfirmation: nir });
  assert.equal(res.statusCode, 202, res.body);
  return res;
}

async function createRecord(client: TestClient, person: { nir: string; serial: string; email?: string }, code?: string) {
  return client.post('/api/creation/records', {
    code: code ?? (await lastCode(t.ctx, 'creation-code', person.email)),
    nir: person.nir,
    vitaleType: 'photo',
    vitaleSerial: person.serial,
    mobile: '06 39 98 00 01',
    acceptTerms: true,
  });
}

function fieldOf(res: { json(): { errors?: { field: string; message: string }[] } }) {
  return res.json().errors?.[0]?.field;
}

describe('creating a record online', () => {
  it('answers the same sentence for a known, an unknown and a malformed-but-valid NIR', async () => {
    const client = newClient();
    const before = (await queuedMessages(t.ctx)).length;
    const known = await requestCode(client, ELODIE.nir);
    const unknown = await requestCode(client, '185057800608491');
    assert.deepEqual(known.json(), unknown.json());
    assert.equal((await queuedMessages(t.ctx)).length, before + 1, 'only the known person gets a code');
  });

  it('refuses a wrong NIR key and two different NIRs, next to the field', async () => {
    const client = newClient();
    const wrongKey = await client.post('/api/creation/code-requests', { nir: '185054958815780', nirConfirmation: '185054958815780' });
    assert.equal(wrongKey.statusCode, 400);
    assert.equal(fieldOf(wrongKey), 'nir');
    assert.match(wrongKey.json().errors[0].message, /clé/);
    const differ = await client.post('/api/creation/code-requests', { nir: NICOLAS.nir, nirConfirmation: ELODIE.nir });
    assert.equal(fieldOf(differ), 'nirConfirmation');
  });

  it('sends the code by post when no email is known', async () => {
    await requestCode(newClient(), GERMAINE.nir);
    const letter = (await queuedMessages(t.ctx, 'creation-code')).find((m) => 'postal' in m.to);
    assert.ok(letter, 'a letter is queued');
  });

  it('creates the record, shows the credentials once, and gives the letter', async () => {
    const client = newClient();
    await requestCode(client, NICOLAS.nir);
    const res = await createRecord(client, NICOLAS);
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    assert.match(body.loginId, /^[a-z]{3}\d{4,}$/);
    assert.match(body.initialPassword, /^\S{4}(-\S{4}){3}$/);
    assert.equal(body.ins.matricule, NICOLAS.nir);

    const letter = await client.post('/api/creation/letter', { loginId: body.loginId, password: body.initialPassword });
    assert.equal(letter.statusCode, 200);
    assert.equal(letter.headers['content-type'], 'application/pdf');
    assert.equal(letter.rawPayload.subarray(0, 5).toString(), '%PDF-');
    const wrong = await client.post('/api/creation/letter', { loginId: body.loginId, password: 'not-the-password' });
    assert.equal(wrong.statusCode, 403);
  });

  it('refuses a reused code, and a second record for the same person', async () => {
    const client = newClient();
    const code = await lastCode(t.ctx, 'creation-code', NICOLAS.email);
    const reused = await createRecord(client, NICOLAS, code);
    assert.equal(reused.statusCode, 400);
    assert.match(reused.json().errors[0].message, /déjà servi/);
    // A fresh code cannot be had for someone who has a record, and a direct attempt says it exists.
    const count = (await queuedMessages(t.ctx, 'creation-code')).length;
    await requestCode(client, NICOLAS.nir);
    assert.equal((await queuedMessages(t.ctx, 'creation-code')).length, count);
  });

  it('refuses an expired code', async () => {
    const client = newClient();
    const person = { nir: '278029935000801', serial: '1619813652925054', email: 'fatima.elamrani@example.net' };
    await requestCode(client, person.nir);
    t.clock.advance(91 * 24 * 60 * MINUTE);
    const res = await createRecord(client, person);
    assert.equal(res.statusCode, 400);
    assert.equal(fieldOf(res), 'code');
    assert.match(res.json().errors[0].message, /expiré/);
  });

  it('refuses a card serial that is not the person’s, and changes nothing', async () => {
    const client = newClient();
    const person = { nir: '279022A00415130', serial: '1551878266247194', email: 'marie-ange.santoni@example.com' };
    await requestCode(client, person.nir);
    const res = await createRecord(client, { ...person, serial: '1551878266247195' });
    assert.equal(res.statusCode, 400);
    assert.equal(fieldOf(res), 'vitaleSerial');
    const ok = await createRecord(client, person);
    assert.equal(ok.statusCode, 201, 'the code was not spent by the refused attempt');
  });

  it('blocks a code after five wrong guesses', async () => {
    const client = newClient();
    const person = { nir: '176082B03333374', serial: '1180812442783408', email: 'jb.santoni@example.com' };
    await requestCode(client, person.nir);
    const code = await lastCode(t.ctx, 'creation-code', person.email);
    for (let i = 0; i < 5; i++) assert.equal((await createRecord(client, person, 'AAAAAAAAAAAA')).statusCode, 400);
    const res = await createRecord(client, person, code);
    assert.equal(res.statusCode, 400);
    assert.match(res.json().errors[0].message, /bloqué/);
  });

  it('refuses a state change without the CSRF token', async () => {
    const res = await newClient().post('/api/creation/code-requests', { nir: NICOLAS.nir, nirConfirmation: NICOLAS.nir }, { csrf: false });
    assert.equal(res.statusCode, 403);
    assert.match(res.json().detail, /vérifiée/);
  });
});

describe('logging in', () => {
  let credentials: { loginId: string; initialPassword: string };

  before(async () => {
    const client = newClient();
    await requestCode(client, ELODIE.nir);
    const res = await createRecord(client, ELODIE);
    assert.equal(res.statusCode, 201, res.body);
    credentials = res.json();
  });

  async function login(client: TestClient, password = credentials.initialPassword) {
    const start = await client.post('/api/auth/login', { loginId: credentials.loginId, password });
    assert.equal(start.statusCode, 200, start.body);
    const { challengeId } = start.json();
    const code = await lastCode(t.ctx, 'login-code');
    const done = await client.post('/api/auth/login/verify', { challengeId, code });
    assert.equal(done.statusCode, 200, done.body);
    return done.json();
  }

  it('signs in with password and a code by SMS, then walks the three first-login steps', async () => {
    const client = newClient();
    const start = await client.post('/api/auth/login', { loginId: credentials.loginId, password: credentials.initialPassword });
    assert.equal(start.statusCode, 200, start.body);
    assert.equal(start.json().channel, 'sms');
    assert.equal(start.json().destination, '06 •• •• •• 01');
    const code = await lastCode(t.ctx, 'login-code');
    assert.match(code, /^\d{8}$/);
    const done = await client.post('/api/auth/login/verify', { challengeId: start.json().challengeId, code });
    assert.equal(done.statusCode, 200);
    assert.deepEqual(done.json(), { firstLoginRequired: true });
    const cookie = done.cookies.find((c) => c.name === 'dmp_session');
    assert.ok(cookie?.httpOnly && cookie.secure && cookie.sameSite === 'Strict');

    assert.equal((await client.get('/api/me/eligible-children')).statusCode, 403, 'nothing else before the wizard ends');
    const me = (await client.get('/api/me')).json();
    assert.equal(me.firstLoginStep, 'personal');
    assert.equal(me.identity.birthName, 'ROCHE');

    const personal = await client.put('/api/me/first-login/personal', {
      civility: 'Mme', addressLine: '12 rue Saint-Laud', postalCode: '49100', city: 'Angers', country: 'France', birthCountry: 'France',
      mobile: '06 39 98 00 02', mobileConfirmation: '0639980002', email: ELODIE.email, emailConfirmation: ELODIE.email,
    });
    assert.deepEqual(personal.json(), { next: 'password' });
    const weak = await client.put('/api/me/first-login/password', { newPassword: 'azertyuiop12', newPasswordConfirmation: 'azertyuiop12', codeChannel: 'email' });
    assert.equal(weak.statusCode, 400);
    assert.equal(fieldOf(weak), 'newPassword');
    const withName = await client.put('/api/me/first-login/password', { newPassword: 'Elodie-Roche-1987!', newPasswordConfirmation: 'Elodie-Roche-1987!', codeChannel: 'email' });
    assert.equal(withName.statusCode, 400);
    const differ = await client.put('/api/me/first-login/password', { newPassword: STRONG, newPasswordConfirmation: STRONG + 'x', codeChannel: 'email' });
    assert.equal(fieldOf(differ), 'newPasswordConfirmation');
    const good = await client.put('/api/me/first-login/password', { newPassword: STRONG, newPasswordConfirmation: STRONG, codeChannel: 'email' });
    assert.deepEqual(good.json(), { next: 'emergency' });
    const emergency = await client.put('/api/me/first-login/emergency', { breakGlass: true, samu: false });
    assert.deepEqual(emergency.json(), { next: null });
    assert.equal((await client.get('/api/me')).json().firstLoginStep, null);
    credentials = { ...credentials, initialPassword: STRONG };
  });

  it('sends later codes by the channel chosen in the wizard', async () => {
    const client = newClient();
    const start = await client.post('/api/auth/login', { loginId: credentials.loginId, password: STRONG });
    assert.equal(start.json().channel, 'email');
  });

  it('refuses a wrong code with tries left, then a sixth try, then the used code', async () => {
    const client = newClient();
    const start = await client.post('/api/auth/login', { loginId: credentials.loginId, password: STRONG });
    const { challengeId } = start.json();
    const code = await lastCode(t.ctx, 'login-code');
    const wrong = code === '00000000' ? '11111111' : '00000000';
    const first = await client.post('/api/auth/login/verify', { challengeId, code: wrong });
    assert.equal(first.statusCode, 400);
    assert.match(first.json().errors[0].message, /4 essais/);
    for (let i = 0; i < 4; i++) await client.post('/api/auth/login/verify', { challengeId, code: wrong });
    const sixth = await client.post('/api/auth/login/verify', { challengeId, code });
    assert.equal(sixth.statusCode, 400, 'even the right code is refused after five wrong ones');
    assert.match(sixth.json().errors[0].message, /Trop d’essais/);
  });

  it('refuses an expired login code and a code used twice', async () => {
    const client = newClient();
    const start = await client.post('/api/auth/login', { loginId: credentials.loginId, password: STRONG });
    const code = await lastCode(t.ctx, 'login-code');
    t.clock.advance(11 * MINUTE);
    const expired = await client.post('/api/auth/login/verify', { challengeId: start.json().challengeId, code });
    assert.match(expired.json().errors[0].message, /expiré/);
    const resent = await client.post('/api/auth/login/resend', { challengeId: start.json().challengeId });
    assert.equal(resent.statusCode, 200);
    const fresh = await lastCode(t.ctx, 'login-code');
    assert.equal((await client.post('/api/auth/login/verify', { challengeId: start.json().challengeId, code: fresh })).statusCode, 200);
    const again = await newClient().post('/api/auth/login/verify', { challengeId: start.json().challengeId, code: fresh });
    assert.equal(again.statusCode, 400);
    assert.match(again.json().errors[0].message, /déjà été utilisé/);
  });

  it('answers an unknown identifier exactly like a wrong password', async () => {
    const client = newClient();
    const unknown = await client.post('/api/auth/login', { loginId: 'zzz0000', password: 'whatever-it-is' });
    const wrong = await client.post('/api/auth/login', { loginId: credentials.loginId, password: 'whatever-it-is' });
    assert.equal(unknown.statusCode, 401);
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.json().detail, wrong.json().detail);
  });

  it('locks the account after five wrong passwords, for a while, even for the right one', async () => {
    const client = newClient();
    // One failure was counted by the previous test.
    for (let i = 0; i < 3; i++) assert.equal((await client.post('/api/auth/login', { loginId: credentials.loginId, password: 'nope-nope-nope' })).statusCode, 401);
    const fifth = await client.post('/api/auth/login', { loginId: credentials.loginId, password: 'nope-nope-nope' });
    assert.equal(fifth.statusCode, 423);
    const right = await client.post('/api/auth/login', { loginId: credentials.loginId, password: STRONG });
    assert.equal(right.statusCode, 423);
    assert.match(right.json().detail, /bloqué jusqu’à/);
    t.clock.advance(16 * MINUTE);
    assert.equal((await client.post('/api/auth/login', { loginId: credentials.loginId, password: STRONG })).statusCode, 200);
  });

  it('resets a forgotten password with the identifier, the NIR and a code', async () => {
    const client = newClient();
    const start = await client.post('/api/auth/password-reset', { loginId: credentials.loginId, nir: ELODIE.nir });
    assert.equal(start.statusCode, 202);
    const decoy = await client.post('/api/auth/password-reset', { loginId: credentials.loginId, nir: NICOLAS.nir });
    assert.equal(decoy.statusCode, 202, 'a wrong pair gets the same answer');
    assert.equal(decoy.json().message, start.json().message);
    const code = await lastCode(t.ctx, 'password-reset-code');
    const newPassword = 'Galet-Fenouil-Azur-77';
    const weak = await client.post('/api/auth/password-reset/confirm', { challengeId: start.json().challengeId, code, newPassword: 'motdepasse123', newPasswordConfirmation: 'motdepasse123' });
    assert.equal(fieldOf(weak), 'newPassword');
    const done = await client.post('/api/auth/password-reset/confirm', { challengeId: start.json().challengeId, code, newPassword, newPasswordConfirmation: newPassword });
    assert.equal(done.statusCode, 204, done.body);
    assert.equal((await client.post('/api/auth/login', { loginId: credentials.loginId, password: STRONG })).statusCode, 401);
    credentials = { ...credentials, initialPassword: newPassword };
    await login(newClient(), newPassword);
  });

  it('changes the mobile only once a code sent to the new one comes back', async () => {
    const client = newClient();
    await login(client);
    const start = await client.post('/api/me/contact-change', { kind: 'mobile', value: '07 11 22 33 44', valueConfirmation: '0711223344' });
    assert.equal(start.statusCode, 200, start.body);
    const sms = (await queuedMessages(t.ctx, 'contact-change-code'))[0]!;
    assert.deepEqual(sms.to, { mobile: '+33711223344' });
    assert.equal((await client.get('/api/me')).json().contact.mobile, '+33639980002', 'unchanged before the code');
    const code = 'code' in sms.data ? sms.data.code : '';
    const done = await client.post('/api/me/contact-change/confirm', { challengeId: start.json().challengeId, code });
    assert.equal(done.statusCode, 200);
    assert.equal((await client.get('/api/me')).json().contact.mobile, '+33711223344');
  });

  it('opens a child’s record from the parent’s space and switches to it', async () => {
    const client = newClient();
    await login(client);
    const children = (await client.get('/api/me/eligible-children')).json().children;
    assert.deepEqual(children.map((c: { firstNames: string }) => c.firstNames), ['Jade Louise']);
    const notMine = await client.post('/api/me/children-records', { nir: LEO.nir, consent: true });
    assert.equal(notMine.statusCode, 403, 'Léo is on his father’s card');
    const noConsent = await client.post('/api/me/children-records', { nir: children[0].nir, consent: false });
    assert.equal(fieldOf(noConsent), 'consent');
    const created = await client.post('/api/me/children-records', { nir: children[0].nir, consent: true });
    assert.equal(created.statusCode, 201);
    const me = (await client.get('/api/me')).json();
    assert.equal(me.records.length, 2);
    assert.equal(me.records[1].role, 'legal_representative');
    const switched = await client.put('/api/me/current-record', { recordId: created.json().recordId });
    assert.equal(switched.statusCode, 200);
    assert.equal((await client.get('/api/me')).json().currentRecordId, created.json().recordId);
  });

  it('ends the session at logout', async () => {
    const client = newClient();
    await login(client);
    assert.equal((await client.get('/api/me')).statusCode, 200);
    assert.equal((await client.post('/api/auth/logout')).statusCode, 204);
    assert.equal((await client.get('/api/me')).statusCode, 401);
  });
});
