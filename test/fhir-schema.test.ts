import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFhirAnswer, assertPdsmDocumentReference, fhirR4Problems, pdsmProblems, PDSM_DOCUMENT_REFERENCE_PROFILE, sha1Base64 } from './helpers/fhir-schema';

/** The checker every FHIR answer of the tests goes through (helpers/fhir-schema.ts), on known resources. */

const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');

/** A DocumentReference with every element PDSm 3.1.1 asks of a search answer. */
const complete = () => ({
  resourceType: 'DocumentReference',
  id: 'doc-1',
  meta: { versionId: '1', profile: [PDSM_DOCUMENT_REFERENCE_PROFILE] },
  contained: [
    { resourceType: 'PractitionerRole', id: 'author', practitioner: { identifier: { system: 'urn:oid:1.2.250.1.71.4.2.1', value: '810001234565' } } },
    { resourceType: 'Patient', id: 'patient', identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.8', value: '279035121518989' }] },
  ],
  masterIdentifier: { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:0f9e0a4c-7a39-4c55-9d0e-5b4c3a2f1e0d' },
  status: 'current',
  type: { coding: [{ system: 'http://loinc.org', code: '11488-4' }] },
  category: [{ coding: [{ system: 'https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument', code: '10' }] }],
  subject: { identifier: { system: 'urn:oid:1.2.250.1.213.1.4.8', value: '279035121518989' } },
  date: '2026-02-10T09:30:00+01:00',
  author: [{ reference: '#author' }],
  custodian: { identifier: { system: 'urn:oid:1.2.250.1.71.4.2.2', value: '1130000000' } },
  securityLabel: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'N' }] }],
  content: [
    {
      attachment: {
        contentType: 'application/pdf',
        language: 'fr-FR',
        url: 'https://dmp.example.fr/fhir/Binary/doc-1',
        size: PDF.length,
        hash: sha1Base64(PDF),
        title: 'Compte rendu',
        creation: '2026-02-10T09:00:00+01:00',
      },
      format: { system: 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode', code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient' },
    },
  ],
  context: {
    period: { start: '2026-02-10' },
    facilityType: { coding: [{ system: 'https://mos.esante.gouv.fr/NOS/TRE_R02-SecteurActivite/FHIR/TRE-R02-SecteurActivite', code: 'SA07' }] },
    practiceSetting: { coding: [{ system: 'https://mos.esante.gouv.fr/NOS/TRE_A01-CadreExercice/FHIR/TRE-A01-CadreExercice', code: 'AMBULATOIRE' }] },
    sourcePatientInfo: { reference: '#patient' },
  },
});

describe('the FHIR R4 and PDSm checker of the tests', () => {
  it('accepts a valid resource, and names path and fault of an invalid one', () => {
    assert.deepEqual(fhirR4Problems(complete()), []);
    const wrong = { ...complete(), date: '10/02/2026', colour: 'blue', content: [{ attachment: { ...complete().content[0]!.attachment, size: '15' } }] };
    assert.deepEqual(fhirR4Problems(wrong).map((p) => `${p.path}: ${p.message}`).sort(), [
      '(DocumentReference/doc-1)/content/0/attachment/size: "15" must be a number (FHIR unsignedInt)',
      '(DocumentReference/doc-1)/date: "10/02/2026" is not a valid FHIR instant',
      '(DocumentReference/doc-1): unknown element "colour"',
    ]);
  });

  it('checks the resources inside a Bundle on their own, and the JSON rules', () => {
    const bundle = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'DocumentReference', status: 'nouveau', content: [] } }, { resource: { resourceType: 'Project' } }] };
    assert.deepEqual(fhirR4Problems(bundle).map((p) => `${p.path}: ${p.message}`), [
      '(Bundle)/entry/0/resource (DocumentReference)/status: "nouveau" is not one of "current", "superseded", "entered-in-error"',
      '(Bundle)/entry/0/resource (DocumentReference)/content: an array is never empty in FHIR JSON: leave the element out',
      '(Bundle)/entry/1/resource (Project): "Project" is not a FHIR R4 resource type',
    ]);
    assert.throws(() => assertFhirAnswer('application/fhir+json; charset=utf-8', JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: [] }), 'GET /fhir/x'), /GET \/fhir\/x is not valid FHIR R4:\n.*array is never empty/);
    assert.doesNotThrow(() => assertFhirAnswer('application/json', '{"not":"fhir"}', 'GET /api/x'), 'only FHIR answers are checked');
  });

  it('lists the PDSm elements a DocumentReference lacks, and holds to them one that claims the profile', () => {
    assert.doesNotThrow(() => assertPdsmDocumentReference(complete()));
    const { custodian: _custodian, ...withoutCustodian } = complete();
    const partial = { ...withoutCustodian, securityLabel: [{ coding: [{ system: 'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument', code: 'MASQUE_PS' }] }], content: [{ ...complete().content[0]!, attachment: { ...complete().content[0]!.attachment, hash: 'not-sha1', url: 'Binary/doc-1' } }] };
    assert.deepEqual(pdsmProblems(partial), ['custodian', 'securityLabel (confidentiality code)', 'content.attachment.url (absolute, to the Binary)', 'content.attachment.hash (SHA-1, base64)']);
    assert.throws(() => assertFhirAnswer('application/fhir+json', partial, 'GET /fhir/DocumentReference/doc-1'), /does not follow the PDSm DocumentReference profile; missing or wrong:\n {2}custodian/);
  });
});
