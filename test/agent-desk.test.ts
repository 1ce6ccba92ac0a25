import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { addAgent, disableAgent } from '../src/accounts/agent-staff';
import { auditCipher } from '../src/audit/recorder';
import { toEntry } from '../src/history/history';
import { readHistory } from '../src/audit/trail';
import { DEMO_AGENT, DEMO_PASSWORD, seedDemoData } from '../src/app/demo/seed';
import { createBlobStore } from '../src/documents/blob-store';
import { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { lastCode } from './helpers/outbox';
import { DOMINIQUE, STRONG_PASSWORD } from './helpers/patients';
import { professionalClient, CLAIRE_MARTIN } from './helpers/professionals';

/** Laurent MOREL (Lyon), his daughter Chloé on his card, and Sandrine MOREL (demo/insured-persons.csv). */
const LAURENT = { nir: '172126938346562', vitaleSerial: '1396785499837434', mobile: '06 39 98 00 05' };
const CHLOE = { nir: '213056938754272', vitaleSerial: '1396785499837434', mobile: '' };
const SANDRINE = { nir: '274076926675646', vitaleSerial: '1169428877539498', mobile: '0639980006' };

let addresses = 1;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads other modules' tables
const anyDb = (t: TestApp) => t.ctx.database.db as Kysely<any>;
const desk = (t: TestApp) => new TestClient(t.app, `10.5.0.${addresses++}`);

async function signedInAgent(t: TestApp, agentId: string, password: string, email: string): Promise<TestClient> {
  const client = desk(t);
  const start = await client.post('/api/agent/login', { agentId, password });
  assert.equal(start.statusCode, 200, start.body);
  const verify = await client.post('/api/agent/login/verify', { challengeId: start.json().challengeId, code: await lastCode(t.ctx, 'desk-login-code', email) });
  assert.equal(verify.statusCode, 200, verify.body);
  return client;
}

const countRecords = async (t: TestApp) =>
  Number((await anyDb(t).selectFrom('dmp_record').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('the insurance desk', () => {
  let t: TestApp;
  let sophie: TestClient;

  before(async () => {
    t = await startTestApp();
    await seedDemoData(t.ctx, createBlobStore(t.ctx.config));
    sophie = await signedInAgent(t, DEMO_AGENT.agentId, DEMO_PASSWORD, DEMO_AGENT.email);
  });
  after(async () => t.close());

  describe('signing in', () => {
    it('sends a code to the agent’s work email, then opens an agent session', async () => {
      const me = await sophie.get('/api/agent/me');
      assert.equal(me.statusCode, 200, me.body);
      assert.deepEqual(me.json(), {
        agentId: 'ag-sroux',
        firstName: 'Sophie',
        lastName: 'Roux',
        name: 'Sophie ROUX',
        office: DEMO_AGENT.office,
        mustChangePassword: false,
      });
      const cookie = anyDb(t).selectFrom('session').select(['actor_kind', 'account_id']).where('account_id', '=', 'ag-sroux');
      assert.deepEqual((await cookie.execute()).map((s) => s.actor_kind), ['agent']);
    });

    it('answers an unknown identifier exactly like a wrong password, and sends no code', async () => {
      const client = desk(t);
      const unknown = await client.post('/api/agent/login', { agentId: 'ag-nobody', password: DEMO_PASSWORD });
      const wrong = await client.post('/api/agent/login', { agentId: 'ag-sroux', password: 'Pas-le-bon-mot-de-passe' });
      assert.equal(unknown.statusCode, 401);
      assert.equal(wrong.statusCode, 401);
      assert.equal(unknown.json().detail, wrong.json().detail);
      assert.equal(unknown.json().type, wrong.json().type);
    });

    it('locks the identifier after five wrong passwords, even for the right one', async () => {
      const { agentId } = await addAgent(t.ctx, { firstName: 'Marc', lastName: 'Lenoir', office: 'CPAM de Paris', email: 'marc.lenoir@cpam.example.fr' }, { password: DEMO_PASSWORD, initial: false });
      const client = desk(t);
      for (let i = 0; i < 4; i++) assert.equal((await client.post('/api/agent/login', { agentId, password: 'Mauvais-mot-de-passe' })).statusCode, 401);
      assert.equal((await client.post('/api/agent/login', { agentId, password: 'Mauvais-mot-de-passe' })).statusCode, 423);
      const locked = await client.post('/api/agent/login', { agentId, password: DEMO_PASSWORD });
      assert.equal(locked.statusCode, 423);
      assert.match(locked.json().detail, /bloqué jusqu’à/);
      assert.doesNotMatch(locked.json().detail, /Mot de passe oublié/, 'agents have no self-service reset');
      t.clock.advance(16 * 60_000);
      assert.equal((await client.post('/api/agent/login', { agentId, password: DEMO_PASSWORD })).statusCode, 200);
    });

    it('refuses a wrong code, and a used one', async () => {
      const client = desk(t);
      const start = (await client.post('/api/agent/login', { agentId: 'ag-sroux', password: DEMO_PASSWORD })).json();
      const code = await lastCode(t.ctx, 'desk-login-code', DEMO_AGENT.email);
      const wrong = await client.post('/api/agent/login/verify', { challengeId: start.challengeId, code: code === '00000000' ? '11111111' : '00000000' });
      assert.equal(wrong.statusCode, 400);
      assert.equal(wrong.json().errors[0].field, 'code');
      assert.equal((await client.post('/api/agent/login/verify', { challengeId: start.challengeId, code })).statusCode, 200);
      assert.equal((await desk(t).post('/api/agent/login/verify', { challengeId: start.challengeId, code })).statusCode, 400);
    });

    it('makes a new agent replace the initial password before creating anything', async () => {
      const opened = await addAgent(t.ctx, { firstName: 'Nadia', lastName: 'Benhamou', office: 'CPAM du Rhône, Villeurbanne', email: 'nadia.benhamou@cpam.example.fr' });
      assert.equal(opened.agentId, 'ag-nbenhamou');
      const nadia = await signedInAgent(t, opened.agentId, opened.initialPassword, 'nadia.benhamou@cpam.example.fr');
      assert.equal((await nadia.get('/api/agent/me')).json().mustChangePassword, true);
      const early = await nadia.post('/api/agent/records', { ...SANDRINE, consent: true });
      assert.equal(early.statusCode, 403);
      assert.equal(early.json().type.endsWith('password-change-required'), true, early.body);

      const weak = await nadia.post('/api/agent/password', { newPassword: 'nadiabenhamou1', newPasswordConfirmation: 'nadiabenhamou1' });
      assert.equal(weak.statusCode, 400);
      assert.equal(weak.json().errors[0].field, 'newPassword');
      const differ = await nadia.post('/api/agent/password', { newPassword: STRONG_PASSWORD, newPasswordConfirmation: `${STRONG_PASSWORD}x` });
      assert.equal(differ.json().errors[0].field, 'newPasswordConfirmation');
      const done = await nadia.post('/api/agent/password', { newPassword: STRONG_PASSWORD, newPasswordConfirmation: STRONG_PASSWORD });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal((await nadia.get('/api/agent/me')).json().mustChangePassword, false);
      assert.equal((await desk(t).post('/api/agent/login', { agentId: opened.agentId, password: opened.initialPassword })).statusCode, 401);
    });

    it('ends a disabled agent’s sessions and refuses them at once', async () => {
      const opened = await addAgent(t.ctx, { firstName: 'Paul', lastName: 'Girard', office: 'CPAM de Lille', email: 'paul.girard@cpam.example.fr' }, { password: DEMO_PASSWORD, initial: false });
      const paul = await signedInAgent(t, opened.agentId, DEMO_PASSWORD, 'paul.girard@cpam.example.fr');
      assert.equal(await disableAgent(t.ctx, opened.agentId), true);
      assert.equal((await paul.get('/api/agent/me')).statusCode, 401);
      assert.equal((await desk(t).post('/api/agent/login', { agentId: opened.agentId, password: DEMO_PASSWORD })).statusCode, 401);
    });

    it('refuses the desk to patients and professionals', async () => {
      const claire = await professionalClient(t, CLAIRE_MARTIN);
      assert.equal((await claire.post('/api/agent/records', { ...SANDRINE, consent: true })).statusCode, 403);
      assert.equal((await desk(t).post('/api/agent/records', { ...SANDRINE, consent: true })).statusCode, 401);
    });
  });

  describe('creating a record with the insured person present', () => {
    it('refuses without the person’s yes, and changes nothing', async () => {
      const before = await countRecords(t);
      const res = await sophie.post('/api/agent/records', { ...LAURENT, consent: false });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().errors[0].field, 'consent');
      assert.equal(await countRecords(t), before);
    });

    it('refuses a card serial that is not the person’s, and a wrong NIR key, and changes nothing', async () => {
      const before = await countRecords(t);
      const serial = await sophie.post('/api/agent/records', { ...LAURENT, vitaleSerial: '1396785499837435', consent: true });
      assert.equal(serial.statusCode, 400);
      assert.equal(serial.json().errors[0].field, 'vitaleSerial');
      const key = await sophie.post('/api/agent/records', { ...LAURENT, nir: '172126938346563', consent: true });
      assert.equal(key.statusCode, 400);
      assert.equal(await countRecords(t), before);
    });

    it('refuses a mobile number that is not one, and changes nothing', async () => {
      const before = await countRecords(t);
      const res = await sophie.post('/api/agent/records', { ...LAURENT, mobile: '01 23', consent: true });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().errors[0].field, 'mobile');
      assert.equal(await countRecords(t), before);
    });

    it('refuses without the CSRF token', async () => {
      const res = await sophie.post('/api/agent/records', { ...LAURENT, consent: true }, { csrf: false });
      assert.equal(res.statusCode, 403);
    });

    let laurentRecord = '';
    it('creates the record, shows the identifier and initial password once, and the letter opens with them', async () => {
      const res = await sophie.post('/api/agent/records', { ...LAURENT, consent: true });
      assert.equal(res.statusCode, 201, res.body);
      const created = res.json();
      assert.equal(created.kind, 'account');
      assert.match(created.loginId, /^[a-z]{3}\d{4}$/);
      assert.match(created.initialPassword, /^([A-Za-z2-9]{4}-){3}[A-Za-z2-9]{4}$/);
      assert.equal(created.birthName, 'MOREL');
      laurentRecord = created.recordId;

      const letter = await desk(t).post('/api/creation/letter', { loginId: created.loginId, password: created.initialPassword });
      assert.equal(letter.statusCode, 200);
      assert.equal(letter.headers['content-type'], 'application/pdf');

      const login = await desk(t).post('/api/auth/login', { loginId: created.loginId, password: created.initialPassword });
      assert.equal(login.statusCode, 200, 'the patient logs in with them');
      assert.match(login.json().destination, /^06 •• •• •• 05$/, 'the code goes to the mobile given at the desk');
    });

    it('says a record already exists at a second attempt', async () => {
      const again = await sophie.post('/api/agent/records', { ...LAURENT, consent: true });
      assert.equal(again.statusCode, 409);
      assert.match(again.json().detail, /existe déjà/);
      // A closed record is still his: the desk tells him to reactivate it rather than create one.
      await anyDb(t).updateTable('dmp_record').set({ status: 'closed', closed_at: t.clock.now() }).where('record_id', '=', laurentRecord).execute();
      const closed = await sophie.post('/api/agent/records', { ...LAURENT, consent: true });
      assert.equal(closed.statusCode, 409);
      assert.match(closed.json().detail, /il est fermé : elle peut le réactiver/);
      await anyDb(t).updateTable('dmp_record').set({ status: 'active', closed_at: null }).where('record_id', '=', laurentRecord).execute();
    });

    it('opens a child’s record under the parent who holds the card', async () => {
      const res = await sophie.post('/api/agent/records', { ...CHLOE, consent: true });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().kind, 'child');
      assert.equal(res.json().firstNames, 'Chloé Anaïs');
    });

    it('records who took the consent and when, in the patient’s history, under the agent’s name', async () => {
      const events = await readHistory(t.ctx.database.db, laurentRecord, auditCipher(t.ctx.database.db, t.ctx.masterKey, t.clock.now()), { limit: 50 });
      const creation = events.find((e) => e.action === 'create');
      assert.ok(creation);
      assert.equal(creation.actorKind, 'agent');
      assert.equal(creation.actorId, 'ag-sroux');
      assert.equal(creation.rule, 'insurance-agent-creation');
      assert.equal(creation.personal?.details?.consentRecordedBy, 'ag-sroux');
      assert.equal(creation.personal?.workplace, DEMO_AGENT.office);
      const entry = toEntry(creation, { viewerLoginId: 'someone', audience: 'holder' });
      assert.match(entry.sentence, /^Sophie ROUX, agent de l’Assurance Maladie,/);
    });
  });

  describe('never the medical content', () => {
    it('refuses every door of a record to an agent session', async () => {
      // Dominique's demo record holds the seven official CDA examples.
      const { record_id: recordId } = await anyDb(t)
        .selectFrom('record_by_ins')
        .select('record_id')
        .where('ins_matricule', '=', DOMINIQUE.nir)
        .executeTakeFirstOrThrow();
      for (const url of [
        `/api/pro/records/${recordId}`,
        `/api/pro/records/${recordId}/documents`,
        `/api/records/${recordId}/documents`,
        `/api/records/${recordId}/health-profile`,
        `/api/records/${recordId}/history`,
        '/api/me',
      ]) {
        const res = await sophie.get(url);
        assert.ok([401, 403].includes(res.statusCode), `${url}: ${res.statusCode}`);
        assert.doesNotMatch(res.body, /PAT-TROIS|Dominique/i, url);
      }
    });
  });
});
