import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import { traceInTransaction } from '../src/audit/recorder';
import type { AuditEventInput } from '../src/audit/trail';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import type { OutboxMessage } from '../src/notify/outbox';
import { noticeFor, queuePatientNotices, traceAndNotify, traceEventAndNotify } from '../src/events/patient-notices';
import { NOTICE_FAMILIES } from '../src/notify/preferences';
import type { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { queuedMessages } from './helpers/outbox';
import { lastCode } from './helpers/outbox';
import { signedInPatient, STRONG_PASSWORD } from './helpers/patients';

/**
 * DOMAIN.md §6: the patient is notified (email, SMS) of a first access by a new professional,
 * any emergency access, a new document…, as they chose; never with medical content; and the
 * message is queued in the transaction of the traced event.
 */

const ELODIE = { nir: '287094410927272', serial: '1115613774503792', email: 'elodie.durand@example.com' };
const MOBILE = '+33639980050'; // what signedInPatient gives every patient
const TITLE = 'Biopsie hépatique : carcinome';
const MEDICAL_WORDS = /carcinome|biopsie|hépat|cancer|diagnostic|oncolog|cardiolog|psychiatr|Dr |Martin|médecin généraliste|compte rendu/i;

describe('notifications to the patient', () => {
  let t: TestApp;
  let client: TestClient;
  let recordId: string;
  let loginId: string;
  let childRecordId: string;
  let rpps = 10001234000;

  const nextRpps = () => String(++rpps);
  const pro = (overrides: Partial<AuditEventInput> = {}): AuditEventInput => ({
    recordId,
    actorKind: 'professional',
    actorId: '10001234565',
    action: 'open-document',
    documentId: null,
    allowed: true,
    rule: 'authorized-consent',
    personal: { actorName: 'Dr Claire Martin', profession: 'médecin généraliste', details: { title: TITLE } },
    ...overrides,
  });
  type Notification = Extract<OutboxMessage, { kind: 'notification' }>;
  const notifications = async () => (await queuedMessages(t.ctx, 'notification')) as Notification[];
  const countNotifications = async () => (await notifications()).length;
  /** Traces the event and queues its notices in one transaction; returns the notifications it queued. */
  async function happen(event: AuditEventInput): Promise<Notification[]> {
    const before = await countNotifications();
    t.clock.advance(60_000);
    await t.ctx.database.db.transaction().execute((trx) => traceAndNotify(t.ctx, trx, event));
    const all = await notifications();
    return all.slice(0, all.length - before);
  }
  /** After the clock jumped past the session's life. */
  async function signInAgain() {
    const start = await client.post('/api/auth/login', { loginId, password: STRONG_PASSWORD });
    assert.equal(start.statusCode, 200, start.body);
    const code = await lastCode(t.ctx, 'login-code', ELODIE.email);
    assert.equal((await client.post('/api/auth/login/verify', { challengeId: start.json().challengeId, code })).statusCode, 200);
  }
  const setPreferences = (preferences: { family: string; email: boolean; sms: boolean }[]) =>
    client.put('/api/me/notification-preferences', { preferences });

  before(async () => {
    t = await startTestApp();
    await loadDemoDirectoriesIfEmpty(t.ctx);
    ({ client, recordId, loginId } = await signedInPatient(t, ELODIE));
    const children = (await client.get('/api/me/eligible-children')).json().children;
    const created = await client.post('/api/me/children-records', { nir: children[0].nir, consent: true });
    assert.equal(created.statusCode, 201, created.body);
    childRecordId = created.json().recordId;
  });
  after(async () => t.close());

  beforeEach(async () => {
    const res = await setPreferences(NOTICE_FAMILIES.map((family) => ({ family, email: true, sms: true })));
    assert.equal(res.statusCode, 200, res.body);
  });

  it('gives every family on by default, and keeps what the patient changes', async () => {
    const fresh = await signedInPatient(t, { nir: '185054958815725', serial: '1242687940214477', email: 'nicolas.durand@example.com' });
    const initial = (await fresh.client.get('/api/me/notification-preferences')).json();
    assert.deepEqual(
      initial.preferences.map((p: { family: string; email: boolean; sms: boolean }) => [p.family, p.email, p.sms]),
      NOTICE_FAMILIES.map((f) => [f, true, true]),
    );
    assert.ok(initial.preferences.every((p: { label: string }) => p.label.length > 10));
    assert.equal(initial.contact.email, 'nicolas.durand@example.com');
    const changed = await fresh.client.put('/api/me/notification-preferences', { preferences: [{ family: 'new-document', email: false, sms: true }] });
    assert.equal(changed.statusCode, 200, changed.body);
    const after = (await fresh.client.get('/api/me/notification-preferences')).json();
    assert.deepEqual(after.preferences.find((p: { family: string }) => p.family === 'new-document'), { ...initial.preferences[2], email: false });
    assert.equal(after.preferences[0].email, true, 'the others are unchanged');
    // Refused: an unknown family, a family twice, no CSRF token, nobody signed in.
    assert.equal((await fresh.client.put('/api/me/notification-preferences', { preferences: [{ family: 'marketing', email: true, sms: true }] })).statusCode, 400);
    const twice = { preferences: [{ family: 'new-document', email: true, sms: true }, { family: 'new-document', email: false, sms: true }] };
    assert.equal((await fresh.client.put('/api/me/notification-preferences', twice)).statusCode, 400);
    assert.equal((await fresh.client.request('PUT', '/api/me/notification-preferences', { preferences: [] }, { csrf: false })).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/me/notification-preferences' })).statusCode, 401);
  });

  it('tells of a first access by a professional never seen on the record, once', async () => {
    const someone = nextRpps();
    const first = await happen(pro({ actorId: someone }));
    assert.deepEqual(first.map((m) => JSON.stringify(m.to)).sort(), [JSON.stringify({ email: ELODIE.email }), JSON.stringify({ mobile: MOBILE })]);
    assert.equal(first[0]!.data.title, 'Un nouveau professionnel de santé a accédé à votre DMP');
    assert.equal(first[0]!.data.link, `${t.ctx.config.PUBLIC_URL.replace(/\/$/, '')}/mon-dmp/historique`);
    assert.deepEqual(await happen(pro({ actorId: someone, action: 'read-list' })), [], 'seen before: nothing more');
    const refusedFirst = nextRpps();
    await happen(pro({ actorId: refusedFirst, allowed: false, rule: 'blocked-professional' }));
    assert.equal((await happen(pro({ actorId: refusedFirst }))).length, 2, 'a refusal is not a first access');
  });

  it('tells of every emergency access, and of a new document', async () => {
    const urgent = nextRpps();
    const emergency = await happen(pro({ actorId: urgent, action: 'emergency-access', rule: 'break-glass', personal: { reason: 'coma' } }));
    assert.equal(emergency.length, 2);
    assert.equal(emergency[0]!.data.title, 'Accès en urgence à votre DMP');
    assert.deepEqual(await happen(pro({ actorId: urgent, rule: 'break-glass' })), [], 'the reads of the same emergency are one notice');
    t.clock.advance(25 * 3600_000);
    assert.equal((await happen(pro({ actorId: urgent, action: 'emergency-access', rule: 'break-glass' }))).length, 2, 'a new emergency, a day later');
    await signInAgain();

    const samu = await happen(pro({ actorId: nextRpps(), rule: 'samu-regulator' }));
    assert.equal(samu[0]!.data.title, 'Accès en urgence à votre DMP');

    const known = '10001234565';
    await happen(pro({ actorId: known }));
    const document = await happen(pro({ actorId: known, action: 'deposit', documentId: '11111111-2222-4333-8444-555555555555', rule: 'deposit-right' }));
    assert.equal(document.length, 2);
    assert.equal(document[0]!.data.title, 'Un nouveau document a été ajouté à votre DMP');
    const mine = await happen({ recordId, actorKind: 'patient', actorId: loginId, action: 'deposit', documentId: '11111111-2222-4333-8444-555555555556', allowed: true, rule: 'titulaire' });
    assert.deepEqual(mine, [], 'one’s own deposit is no news');
    const feed = await happen({ recordId, actorKind: 'system', actorId: 'assurance-maladie', action: 'deposit', documentId: '11111111-2222-4333-8444-555555555557', allowed: true, rule: 'insurance-feed' });
    assert.deepEqual(feed, [], 'not the monthly reimbursements');
  });

  it('tells of a change of password or contact, once per account, and of closure and reactivation', async () => {
    const password = await happen({ recordId, actorKind: 'patient', actorId: loginId, action: 'settings-changed', allowed: true, rule: 'titulaire', personal: { details: { setting: 'password' } } });
    assert.equal(password.length, 2);
    assert.equal(password[0]!.data.title, 'Le mot de passe de votre compte Mon DMP a été changé');
    const onChild = await happen({ recordId: childRecordId, actorKind: 'representative', actorId: loginId, action: 'settings-changed', allowed: true, rule: 'titulaire', personal: { details: { setting: 'password' } } });
    assert.deepEqual(onChild, [], 'the same change traced on the child’s record is not told twice');
    const emergencySwitches = await happen({ recordId, actorKind: 'patient', actorId: loginId, action: 'settings-changed', allowed: true, rule: 'titulaire', personal: { details: { setting: 'emergency-access' } } });
    assert.deepEqual(emergencySwitches, []);

    const closed = await happen({ recordId, actorKind: 'patient', actorId: loginId, action: 'close', allowed: true, rule: 'titulaire' });
    assert.equal(closed[0]!.data.title, 'Votre DMP a été fermé');
    const reopened = await happen({ recordId, actorKind: 'patient', actorId: loginId, action: 'reactivate', allowed: true, rule: 'titulaire' });
    assert.equal(reopened[0]!.data.title, 'Votre DMP a été réactivé');
  });

  it('writes to a legal representative about the record they represent', async () => {
    const messages = await happen(pro({ recordId: childRecordId, actorId: nextRpps() }));
    assert.equal(messages.length, 2);
    assert.equal(messages[0]!.data.title, 'Un nouveau professionnel de santé a accédé au DMP dont vous êtes le représentant légal');
  });

  it('follows the preferences, family by family and channel by channel', async () => {
    assert.equal((await setPreferences([{ family: 'first-access-new-professional', email: false, sms: true }])).statusCode, 200);
    const smsOnly = await happen(pro({ actorId: nextRpps() }));
    assert.deepEqual(smsOnly.map((m) => m.to), [{ mobile: MOBILE }]);
    await setPreferences([{ family: 'first-access-new-professional', email: false, sms: false }]);
    assert.deepEqual(await happen(pro({ actorId: nextRpps() })), []);
    // A deposit by a new professional is also a new document: told when either family is on.
    const deposit = await happen(pro({ actorId: nextRpps(), action: 'deposit', documentId: '11111111-2222-4333-8444-555555555558', rule: 'deposit-right' }));
    assert.equal(deposit.length, 2);
    await setPreferences([
      { family: 'new-document', email: true, sms: false },
      { family: 'emergency-access', email: false, sms: false },
    ]);
    assert.deepEqual((await happen(pro({ actorId: nextRpps(), action: 'deposit', documentId: '11111111-2222-4333-8444-555555555559', rule: 'deposit-right' }))).map((m) => m.to), [
      { email: ELODIE.email },
    ]);
    assert.deepEqual(await happen(pro({ actorId: nextRpps(), action: 'emergency-access', rule: 'break-glass' })), []);
  });

  it('never says anything medical: no title, no name, no profession', async () => {
    for (const event of [
      pro({ actorId: nextRpps() }),
      pro({ actorId: nextRpps(), action: 'emergency-access', rule: 'break-glass', personal: { actorName: 'Dr Martin', profession: 'oncologue', reason: 'cancer du foie' } }),
      pro({ action: 'deposit', documentId: '11111111-2222-4333-8444-555555555560', rule: 'deposit-right' }),
    ]) {
      await happen(event);
    }
    const all = await notifications();
    assert.ok(all.length > 10);
    for (const m of all) {
      const text = JSON.stringify(m.data);
      assert.doesNotMatch(text, MEDICAL_WORDS, text);
      assert.ok(!text.includes(TITLE));
    }
    // The pure function, for every family and audience.
    for (const audience of ['holder', 'representative'] as const) {
      for (const action of ['open-document', 'deposit', 'replace', 'make-visible', 'emergency-access', 'close', 'reactivate'] as const) {
        const notice = noticeFor(pro({ action }), { seenBefore: false, emergencySeenRecently: false, audience });
        assert.ok(notice, action);
        assert.doesNotMatch(notice.title + notice.body, MEDICAL_WORDS);
      }
    }
  });

  it('queues the message in the event’s transaction: rolled back, nothing is sent', async () => {
    const before = await countNotifications();
    const events = async () => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_event WHERE record_id = ${recordId}`.execute(t.ctx.database.db)).rows[0]!.n);
    const eventsBefore = await events();
    const event = pro({ actorId: nextRpps() });
    await assert.rejects(
      t.ctx.database.db.transaction().execute(async (trx) => {
        await traceInTransaction(t.ctx, trx, event);
        const queued = await queuePatientNotices(t.ctx, trx, recordId, event);
        assert.equal(queued, 2, 'queued inside the transaction');
        throw new Error('the traced action fails');
      }),
      /the traced action fails/,
    );
    assert.equal(await countNotifications(), before, 'no message');
    assert.equal(await events(), eventsBefore, 'no event');
    // The same, committed: both are there.
    await traceEventAndNotify(t.ctx, event);
    assert.equal(await countNotifications(), before + 2);
    assert.equal(await events(), eventsBefore + 1);
  });
});
