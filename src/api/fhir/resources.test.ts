import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentFhirId, flagsFromLabels, parseDocumentFhirId, securityLabels, typeFromCoding } from './resources';

describe('FHIR mapping of documents', () => {
  it('puts the record and the document in one valid FHIR id, and reads them back', () => {
    for (const key of [
      { recordId: '00000000-0000-4000-8000-000000000000', documentId: 'ffffffff-ffff-4fff-bfff-ffffffffffff', version: 1 },
      { recordId: '3f2c8a4e-1b7d-4c9e-8a21-5d6e7f809a1b', documentId: '9b8a7c6d-5e4f-4321-9abc-def012345678', version: 123 },
    ]) {
      const id = documentFhirId(key);
      assert.match(id, /^[A-Za-z0-9\-.]{1,64}$/);
      assert.deepEqual(parseDocumentFhirId(id), key);
    }
    assert.equal(parseDocumentFhirId('zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz-1'), null, 'beyond 128 bits');
    assert.equal(parseDocumentFhirId('abc'), null);
  });

  it('knows the catalogue’s types by LOINC URL or OID, and nothing else', () => {
    assert.equal(typeFromCoding({ system: 'http://loinc.org', code: '11490-0' }), '11490-0');
    assert.equal(typeFromCoding({ system: 'urn:oid:2.16.840.1.113883.6.1', code: '11490-0' }), '11490-0');
    assert.equal(typeFromCoding({ system: 'http://snomed.info/sct', code: '11490-0' }), null);
    assert.equal(typeFromCoding({ system: 'http://loinc.org', code: '99999-9' }), null);
  });

  it('writes and reads the DMP visibility labels', () => {
    const labels = securityLabels({ masked: true, hiddenFromPatient: false, hiddenFromRepresentatives: true });
    assert.deepEqual(flagsFromLabels(labels), { masked: true, hiddenFromRepresentatives: true });
  });
});
