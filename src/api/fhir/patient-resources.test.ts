import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACCESS_EXTENSION, BIRTH_PLACE_EXTENSION, CLOSURE_EXTENSION, dmpPatient, TREATING_DOCTOR_EXTENSION, type DmpPatient } from './patient-resources';

const base: DmpPatient = {
  recordId: '0b6f3c1e-8a57-4e0a-9d4c-2f1f6b7a9e10',
  ins: { oid: '1.2.250.1.213.1.4.10', matricule: '279035121518989' },
  status: 'active',
  closedAt: null,
  person: { birthName: 'PAT-TROIS', firstNames: 'Dominique Marie-Louise', usedName: null, sex: 'F', birthDate: '1979-03-28', birthPlace: '51215' },
  asker: { treatingDoctor: true, reading: { allowed: true, rule: 'treating-doctor', explanation: 'Vous êtes son médecin traitant.' } },
};
const urls = (p: ReturnType<typeof dmpPatient>) => (p.extension ?? []).map((e) => e.url);

describe('dmpPatient (PDSm4DMP TD0.2 mapping)', () => {
  it('gives the INS and its traits, the DMP open, and the asker’s standing', () => {
    const p = dmpPatient(base);
    assert.equal(p.id, base.recordId);
    assert.deepEqual(p.identifier, [{ use: 'official', system: 'urn:oid:1.2.250.1.213.1.4.10', value: '279035121518989' }]);
    assert.deepEqual(p.name, [{ use: 'official', family: 'PAT-TROIS', given: ['Dominique Marie-Louise'] }]);
    assert.deepEqual([p.gender, p.birthDate, p.active], ['female', '1979-03-28', true]);
    assert.deepEqual(urls(p), [TREATING_DOCTOR_EXTENSION, ACCESS_EXTENSION, BIRTH_PLACE_EXTENSION]);
    assert.deepEqual(p.extension!.find((e) => e.url === BIRTH_PLACE_EXTENSION)!.valueAddress, { district: '51215' });
  });

  it('says a DMP is closed, and since when', () => {
    const p = dmpPatient({ ...base, status: 'closed', closedAt: new Date('2026-03-12T22:30:00Z') });
    assert.equal(p.active, false);
    assert.deepEqual(p.extension!.find((e) => e.url === CLOSURE_EXTENSION)!.extension, [{ url: 'dateFermeture', valueDate: '2026-03-12' }]);
  });

  it('writes a NIA as a temporary identifier, and the used name as the usual one', () => {
    const p = dmpPatient({ ...base, ins: { oid: '1.2.250.1.213.1.4.9', matricule: '892017512345678' }, person: { ...base.person!, usedName: 'MARTIN', sex: 'M' } });
    assert.equal(p.identifier![0]!.use, 'temp');
    assert.deepEqual(p.name![1], { use: 'usual', family: 'MARTIN' });
    assert.equal(p.gender, 'male');
  });

  it('names nobody when the person is not to be told', () => {
    const p = dmpPatient({ ...base, person: null, asker: { treatingDoctor: false, reading: { allowed: false, rule: 'not-authorized', explanation: '…' } } });
    assert.deepEqual([p.name, p.gender, p.birthDate], [undefined, undefined, undefined]);
    assert.deepEqual(urls(p), [TREATING_DOCTOR_EXTENSION, ACCESS_EXTENSION]);
    assert.deepEqual(p.extension!.find((e) => e.url === ACCESS_EXTENSION)!.extension!.slice(0, 2), [
      { url: 'lecture', valueBoolean: false },
      { url: 'regle', valueCode: 'not-authorized' },
    ]);
  });
});
