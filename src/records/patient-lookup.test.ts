import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { identityMatches } from './patient-lookup';

const DOMINIQUE = { birthName: 'PAT-TROIS', firstNames: 'Dominique Marie-Louise', birthDate: '1979-03-28' };
const typed = (over: Partial<{ birthName: string; firstName: string; birthDate: string }>) => ({
  birthName: 'PAT-TROIS',
  firstName: 'Dominique',
  birthDate: '1979-03-28',
  ...over,
});

describe('checking identity traits against the directory', () => {
  it('accepts the traits however they are typed', () => {
    for (const query of [typed({}), typed({ birthName: 'pat trois' }), typed({ birthName: 'Pat–Trois'.replace('–', '-') }), typed({ firstName: 'DOMINIQUE' })]) {
      assert.ok(identityMatches(DOMINIQUE, query), JSON.stringify(query));
    }
    assert.ok(identityMatches(DOMINIQUE, typed({ firstName: 'dominique marie louise' })), 'all the first names');
    assert.ok(identityMatches({ ...DOMINIQUE, birthName: 'LEFÈVRE' }, typed({ birthName: 'Lefevre' })), 'without accents');
  });

  it('refuses any other trait', () => {
    assert.equal(identityMatches(DOMINIQUE, typed({ birthName: 'PATTROIS' })), false);
    assert.equal(identityMatches(DOMINIQUE, typed({ firstName: 'Marie-Louise' })), false, 'a second first name alone');
    assert.equal(identityMatches(DOMINIQUE, typed({ firstName: ' ' })), false);
    assert.equal(identityMatches(DOMINIQUE, typed({ birthDate: '1979-03-29' })), false);
  });
});
