import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sharingConsents, type SharingFacts } from './consent-resources';

const RECORD = '0b6f3c1e-8a57-4e0a-9d4c-2f1f6b7a9e10';
const at = (iso: string) => new Date(iso);
const facts = (over: Partial<SharingFacts> = {}): SharingFacts => ({
  recordId: RECORD,
  settings: {
    authorizations: [
      { rpps: '10009156836', basis: 'consent_declared', grantedAt: at('2026-03-01T10:00:00Z'), revokedAt: null },
      { rpps: '10010365293', basis: 'care_team', grantedAt: at('2026-01-05T10:00:00Z'), revokedAt: at('2026-02-01T10:00:00Z') },
    ],
    blocks: [{ rpps: '10002458718', blockedAt: at('2026-03-10T08:00:00Z') }],
  },
  emergency: { breakGlassAllowed: true, samuAllowed: false, maskedVisibleInEmergency: false },
  occupationalConsents: [{ professionalId: '10013698450', consultationId: 'VM-42', until: at('2026-03-12T13:00:00Z') }],
  treatingDoctorId: '10001234565',
  names: new Map([['10002458718', 'Julien LEFEBVRE']]),
  ...over,
});
const kind = (c: ReturnType<typeof sharingConsents>[number]) => c.category[0]!.coding![1]!.code;

describe('sharingConsents (the access settings as FHIR Consents)', () => {
  it('states a block as a denial of access to that professional, opted out', () => {
    const [block] = sharingConsents(facts());
    assert.equal(kind(block!), 'blocage');
    assert.deepEqual([block!.status, block!.scope.coding![0]!.code, block!.patient!.reference, block!.policyRule!.coding![0]!.code], ['active', 'patient-privacy', `Patient/${RECORD}`, 'OPTOUT']);
    assert.equal(block!.provision!.type, 'deny');
    assert.deepEqual(block!.provision!.actor![0]!.reference, { identifier: { system: 'urn:oid:1.2.250.1.71.4.2.1', value: '810002458718' }, display: 'Julien LEFEBVRE' });
  });

  it('states authorizations as permits, a revoked one inactive since its revocation, a care-team one on its own basis', () => {
    const [, consent, careTeam] = sharingConsents(facts());
    assert.deepEqual([kind(consent!), consent!.status, consent!.provision!.type, consent!.policyRule!.coding![0]!.code], ['autorisation', 'active', 'permit', 'OPTIN']);
    assert.equal(consent!.provision!.actor![0]!.reference.display, 'RPPS 10009156836', 'a name the directory lacks: the number');
    assert.deepEqual([kind(careTeam!), careTeam!.status, careTeam!.provision!.period], ['equipe-de-soins', 'inactive', { start: '2026-01-05T10:00:00.000Z', end: '2026-02-01T10:00:00.000Z' }]);
    assert.equal(careTeam!.policyRule!.coding![0]!.code, 'equipe-de-soins');
  });

  it('states the occupational consent until its end, and the two emergency switches', () => {
    const all = sharingConsents(facts());
    const occupational = all.find((c) => kind(c) === 'medecine-du-travail')!;
    assert.deepEqual(occupational.provision!.period, { end: '2026-03-12T13:00:00.000Z' });
    const breakGlass = all.find((c) => kind(c) === 'bris-de-glace')!;
    assert.equal(breakGlass.provision!.type, 'permit');
    assert.deepEqual(breakGlass.provision!.provision, [{ type: 'deny', securityLabel: [breakGlass.provision!.provision![0]!.securityLabel![0]!] }]);
    assert.equal(breakGlass.provision!.provision![0]!.securityLabel![0]!.code, 'MASQUE_PS');
    const samu = all.find((c) => kind(c) === 'samu')!;
    assert.deepEqual([samu.provision!.type, samu.policyRule!.coding![0]!.code, samu.provision!.provision], ['deny', 'OPTOUT', undefined]);
  });

  it('shows a block left against the médecin traitant as not applying', () => {
    const [block] = sharingConsents(facts({ treatingDoctorId: '10002458718' }));
    assert.equal(block!.status, 'inactive');
  });

  it('keeps every id unique and within FHIR’s 64 characters', () => {
    const ids = sharingConsents(facts()).map((c) => c.id!);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.every((id) => /^[A-Za-z0-9\-.]{1,64}$/.test(id)), ids.join(' '));
  });
});
