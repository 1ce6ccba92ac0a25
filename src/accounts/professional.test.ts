import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { identityFromClaims, pscClaims, toProfessional, type DirectoryProfessional } from './professional';

const CLAIRE: DirectoryProfessional = {
  rpps: '10001234565',
  firstName: 'Claire',
  lastName: 'MARTIN',
  professionCode: 'G15_10',
  specialtyCode: 'SM54',
  role: null,
  workplaceName: 'Cabinet médical du Mail, Angers',
  workplaceFiness: null,
};
const HELENE: DirectoryProfessional = { ...CLAIRE, rpps: '10012573142', firstName: 'Hélène', lastName: 'BERNARD', specialtyCode: 'SM59', role: 'samu_regulator' };

describe('reading a Pro Santé Connect identity', () => {
  it('takes the RPPS from SubjectNameID (« 8 » + RPPS), preferred_username or sub', () => {
    assert.equal(identityFromClaims({ sub: 'f:a1b2:899', SubjectNameID: '810001234565' })?.rpps, '10001234565');
    assert.equal(identityFromClaims({ sub: 'f:a1b2', preferred_username: '810001234565' })?.rpps, '10001234565');
    assert.equal(identityFromClaims({ sub: '10001234565' })?.rpps, '10001234565');
  });

  it('finds no RPPS in other identifiers, wrong keys or other types', () => {
    assert.equal(identityFromClaims({ sub: 'f:a1b2' }), null);
    assert.equal(identityFromClaims({ sub: '10001234566' }), null, 'wrong Luhn key');
    assert.equal(identityFromClaims({ SubjectNameID: '010001234565' }), null, 'an ADELI-style prefix is not an RPPS');
    assert.equal(identityFromClaims({ SubjectNameID: 10001234565 }), null);
  });

  it('reads profession, specialty and workplace from SubjectRefPro', () => {
    assert.deepEqual(identityFromClaims(pscClaims(CLAIRE)), {
      rpps: '10001234565',
      profession: 'G15_10',
      specialty: 'SM54',
      workplace: { name: 'Cabinet médical du Mail, Angers', finess: null },
    });
    assert.deepEqual(identityFromClaims({ SubjectNameID: '810001234565', SubjectRefPro: { exercices: 'garbage' } }), { rpps: '10001234565' });
  });
});

describe('the professional the service sees', () => {
  it('is the directory row when the provider says nothing more', () => {
    assert.deepEqual(toProfessional(HELENE, { rpps: HELENE.rpps }), {
      rpps: '10012573142',
      firstName: 'Hélène',
      lastName: 'BERNARD',
      name: 'Hélène BERNARD',
      profession: 'G15_10',
      specialty: 'SM59',
      role: 'samu_regulator',
      workplace: { name: 'Cabinet médical du Mail, Angers', finess: null },
    });
  });

  it('follows the provider for the exercise and the workplace, never for the role', () => {
    const p = toProfessional(HELENE, { rpps: HELENE.rpps, profession: 'G15_21', workplace: { name: 'Pharmacie', finess: '490000001' } });
    assert.equal(p.profession, 'G15_21');
    assert.equal(p.specialty, null, 'the directory specialty belongs to another profession');
    assert.equal(p.role, 'samu_regulator');
    assert.deepEqual(p.workplace, { name: 'Pharmacie', finess: '490000001' });
  });

  it('refuses to mix two professionals', () => {
    assert.throws(() => toProfessional(CLAIRE, { rpps: HELENE.rpps }));
  });
});
