import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { termsOf, titleWords } from './title-terms';

describe('title search terms', () => {
  it('folds accents and case, keeps words of two letters or more', () => {
    assert.deepEqual(titleWords('Compte rendu d’Échographie — Hôpital'), ['compte', 'rendu', 'echographie', 'hopital']);
  });

  it('hides the words behind a key of the record', () => {
    const key = randomBytes(32);
    const terms = termsOf(key, 'Radiographie du thorax');
    assert.equal(terms.length, 3);
    assert.ok(!terms.join(' ').includes('thorax'));
    assert.deepEqual(termsOf(key, 'THORAX'), [terms[2]]);
    assert.notDeepEqual(termsOf(randomBytes(32), 'thorax'), [terms[2]], 'another record gives other terms');
  });
});
