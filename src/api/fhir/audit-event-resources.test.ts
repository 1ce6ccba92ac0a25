import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AUDIT_ACTIONS, type HistoryEvent } from '../../audit';
import { AppError } from '../../platform';
import { auditEvent, PS_IDNAT_SYSTEM, readDateRange } from './audit-event-resources';

const RECORD = '0b6f3c1e-8a57-4e0a-9d4c-2f1f6b7a9e10';
const DOCUMENT = '7d1e2c3b-1111-4a2b-8c3d-4e5f6a7b8c9d';
const event = (over: Partial<HistoryEvent>): HistoryEvent => ({
  seq: 7,
  occurredAt: new Date('2026-03-12T09:00:00Z'),
  actorKind: 'professional',
  actorId: '10009156836',
  action: 'open-document',
  documentId: DOCUMENT,
  rule: 'authorized-consent',
  allowed: true,
  personalState: 'open',
  personal: { actorName: 'Thomas MOREAU', profession: 'G15_21' },
  ...over,
});

describe('auditEvent (IHE BasicAudit / MHD audit patterns)', () => {
  it('writes a professional’s retrieval as ITI-68, with his national identifier, the patient and the document', () => {
    const a = auditEvent(event({}), RECORD);
    assert.equal(a.id, `${RECORD}-7`);
    assert.deepEqual([a.type.code, a.subtype?.map((c) => c.code), a.action, a.outcome, a.recorded], ['rest', ['read', 'ITI-68'], 'R', '0', '2026-03-12T09:00:00.000Z']);
    const [agent] = a.agent;
    assert.deepEqual(agent!.who!.identifier, { system: PS_IDNAT_SYSTEM, value: '810009156836' });
    assert.equal(agent!.requestor, true);
    assert.equal(agent!.role![0]!.coding![0]!.code, '21');
    assert.deepEqual(agent!.policy, ['https://opendmp.fr/fhir/CodeSystem/regle-acces#authorized-consent']);
    assert.deepEqual(a.entity!.map((e) => [e.what!.reference ?? e.what!.identifier!.value, e.role!.code]), [
      [`Patient/${RECORD}`, '1'],
      [`urn:uuid:${DOCUMENT}`, '3'],
    ]);
  });

  it('gives every action of the trail a type and an action code', () => {
    for (const action of AUDIT_ACTIONS) {
      const a = auditEvent(event({ action, documentId: null }), RECORD);
      assert.notEqual(a.type.code, '110100', `${action} has its own type`);
      assert.ok(a.action, `${action} has an action code`);
    }
    assert.deepEqual([auditEvent(event({ action: 'deposit' }), RECORD).type.code, auditEvent(event({ action: 'deposit' }), RECORD).action], ['110107', 'C']);
  });

  it('tells a refusal, an emergency and the reading of the history apart', () => {
    const refused = auditEvent(event({ allowed: false, rule: 'blocked-professional' }), RECORD);
    assert.equal(refused.outcome, '4');
    assert.match(refused.outcomeDesc!, /blocked-professional/);
    const urgent = auditEvent(event({ rule: 'break-glass', personal: { actorName: 'Dr Hélène BERNARD', reason: 'inconsciente' } }), RECORD);
    assert.equal(urgent.purposeOfEvent![0]!.coding![0]!.code, 'BTG');
    assert.ok(!JSON.stringify(urgent).includes('inconsciente'), 'the minimal pattern keeps the reason out');
    const history = auditEvent(event({ action: 'read-list', documentId: null, personal: { details: { content: 'history' } } }), RECORD);
    assert.equal(history.type.code, '110101');
  });

  it('names the professional a block was about, and the patient as the Patient', () => {
    const a = auditEvent(event({ actorKind: 'patient', actorId: 'dom1979', action: 'block', documentId: null, rule: 'titulaire', personal: { details: { rpps: '10002458718' } } }), RECORD);
    assert.equal(a.agent[0]!.who!.reference, `Patient/${RECORD}`);
    assert.deepEqual(a.entity![1]!.what!.identifier, { system: PS_IDNAT_SYSTEM, value: '810002458718' });
    const outsider = auditEvent(event({ actorKind: 'patient', actorId: 'someone', rule: 'not-titulaire', allowed: false }), RECORD);
    assert.equal(outsider.agent[0]!.who!.reference, undefined);
  });
});

describe('readDateRange (the date parameter)', () => {
  it('reads days as whole days and instants as themselves, narrowing together', () => {
    assert.deepEqual(readDateRange(['ge2026-03-01', 'le2026-03-12']), { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-13T00:00:00Z') });
    assert.deepEqual(readDateRange(['2026-03-12']), { from: new Date('2026-03-12T00:00:00Z'), to: new Date('2026-03-13T00:00:00Z') });
    assert.deepEqual(readDateRange(['gt2026-03-12T10:00:00+01:00']), { from: new Date('2026-03-12T09:00:00.001Z') });
    assert.deepEqual(readDateRange(['lt2026-03-12', 'le2026-03-20']), { to: new Date('2026-03-12T00:00:00Z') });
    assert.deepEqual(readDateRange([]), {});
  });

  it('refuses what is not a date', () => {
    for (const value of ['2026-02-30', 'ne2026-03-01', 'yesterday', '2026-03-12T25:00:00Z']) {
      assert.throws(() => readDateRange([value]), (e: unknown) => e instanceof AppError && e.status === 400, value);
    }
  });
});
