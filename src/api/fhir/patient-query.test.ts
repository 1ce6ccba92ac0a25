import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../platform';
import { candidates, matchesCriteria, readPatientQuery, type PatientCriteria } from './patient-query';

const NIR = 'urn:oid:1.2.250.1.213.1.4.8';
const TEST_NIR = 'urn:oid:1.2.250.1.213.1.4.10';
const DMP = { recordId: '0b6f3c1e-8a57-4e0a-9d4c-2f1f6b7a9e10', insOid: '1.2.250.1.213.1.4.10', insMatricule: '279035121518989' };

const criteria = (params: Record<string, unknown>): PatientCriteria => {
  const query = readPatientQuery(params);
  assert.ok(query.ok);
  return query.criteria;
};
const refusal = (params: Record<string, unknown>): AppError => {
  try {
    readPatientQuery(params);
  } catch (error) {
    assert.ok(error instanceof AppError);
    return error;
  }
  assert.fail('not refused');
};

describe('readPatientQuery (PDQm ITI-78 by INS only)', () => {
  it('refuses every other parameter, naming each, modifiers included', () => {
    const error = refusal({ identifier: `${NIR}|279035121518989`, family: 'PAT-TROIS', 'given:exact': 'Dominique' });
    assert.equal(error.status, 400);
    assert.match(error.detail!, /« family ».*« given:exact ».*ne sont pas acceptés/);
    assert.match(refusal({ birthdate: '1979-03-28' }).detail!, /« birthdate » n’est pas accepté/);
  });

  it('asks for the INS when nothing designates the patient', () => {
    const error = refusal({});
    assert.equal(error.status, 400);
    assert.deepEqual(error.errors?.map((e) => e.field), ['identifier']);
    assert.equal(refusal({ identifier: `${NIR}|` }).status, 400, 'a domain alone names nobody');
  });

  it('reads OR-lists (commas) and AND (a repeated parameter), a bare value under any INS OID', () => {
    const c = criteria({ identifier: [`${NIR}|279035121518989,${TEST_NIR}|279035121518989`, '279035121518989'] });
    assert.deepEqual(c.identifierGroups, [
      [
        { system: NIR, matricule: '279035121518989' },
        { system: TEST_NIR, matricule: '279035121518989' },
      ],
      [{ system: null, matricule: '279035121518989' }],
    ]);
    assert.equal(matchesCriteria(c, DMP), true);
    assert.deepEqual(candidates(c), { matricules: ['279035121518989'], ids: [] });
  });

  it('keeps a test INS apart from a real one with the same matricule', () => {
    assert.equal(matchesCriteria(criteria({ identifier: `${NIR}|279035121518989` }), DMP), false);
    assert.equal(matchesCriteria(criteria({ identifier: `${TEST_NIR}|279035121518989` }), DMP), true);
    assert.equal(matchesCriteria(criteria({ identifier: `|279035121518989` }), DMP), false, 'explicitly without a system');
  });

  it('normalizes the matricule (Corsica: 2A/2B) and matches _id', () => {
    assert.deepEqual(criteria({ identifier: `${NIR}| 279022a00415130 ` }).identifierGroups, [[{ system: NIR, matricule: '279022A00415130' }]]);
    const byId = criteria({ _id: DMP.recordId.toUpperCase() });
    assert.equal(matchesCriteria(byId, DMP), true);
    assert.deepEqual(candidates(byId), { matricules: [], ids: [DMP.recordId] });
    assert.equal(matchesCriteria(criteria({ identifier: `${TEST_NIR}|279035121518989`, _id: '0b6f3c1e-0000-4e0a-9d4c-2f1f6b7a9e10' }), DMP), false);
  });

  it('says which system is not an INS (PDQm case 4), and serves JSON only (case 5)', () => {
    assert.deepEqual(readPatientQuery({ identifier: 'urn:oid:1.2.3|42' }), { ok: false, unknownSystem: 'urn:oid:1.2.3' });
    assert.equal(refusal({ identifier: `${NIR}|279035121518989`, _format: 'xml' }).status, 406);
    assert.ok(readPatientQuery({ identifier: `${NIR}|279035121518989`, _format: 'application/fhir+json' }).ok);
  });

  it('does not turn a lookup into a sweep', () => {
    const many = Array.from({ length: 11 }, (_, i) => `${NIR}|27903512151${String(i).padStart(4, '0')}`).join(',');
    assert.equal(refusal({ identifier: many }).status, 400);
  });
});
