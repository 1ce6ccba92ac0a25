import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readCdaHeader, renderCdaHtml } from '../documents/cda';
import { documentType } from '../../shared/catalogue';
import { careHistoryCda } from './care-history-cda';

const patient = { insOid: '1.2.250.1.213.1.4.10', ins: '279035121518989', birthName: 'PAT-TROIS', firstNames: 'Dominique Marie-Louise', sex: 'F' as const, birthDate: '1979-03-05' };
const xml = careHistoryCda({
  documentId: '6a0f5a64-1c1e-4f51-8a55-5a1f3e6f0a01',
  setId: '6a0f5a64-1c1e-4f51-8a55-5a1f3e6f0a00',
  version: 2,
  issuedAt: new Date('2026-11-22T13:30:00Z'),
  patient,
  lines: [
    { claimId: 'c2', careDate: '2026-10-03', kind: 'pharmacie', label: 'LEVOTHYROX 75 µg <cp>', quantity: 2, professional: 'Pharmacie du Centre & Fils' },
    { claimId: 'c1', careDate: '2026-09-14', kind: 'consultation', label: 'Consultation de médecine générale', quantity: 1, professional: 'Dr Claire MARTIN' },
  ],
});

describe('the care history as a CDA document', () => {
  it('has the header the DMP files it under: type REMB, the patient’s INS, the Assurance Maladie as author', () => {
    const header = readCdaHeader(xml);
    assert.deepEqual(header.typeCode, { code: 'REMB', codeSystem: '1.2.250.1.213.1.1.4.12', displayName: 'Données de remboursement' });
    assert.equal(documentType(header.typeCode.code)?.category, 'remboursements');
    assert.equal(header.title, 'Historique des remboursements');
    assert.equal(header.effectiveTime, '2026-11-22T13:30:00.000Z');
    assert.deepEqual(header.patient, { ins: { root: patient.insOid, extension: patient.ins }, birthName: 'PAT-TROIS', firstNames: 'Dominique Marie-Louise', sex: 'F', birthDate: '1979-03-05' });
    assert.deepEqual(header.authors, [{ name: 'Assurance Maladie' }]);
    assert.equal(header.versionNumber, 2);
    assert.equal(header.confidentiality.code, 'N');
  });

  it('shows one table per kind of care, the texts escaped', () => {
    const html = renderCdaHtml(xml);
    assert.match(html, /Médicaments et produits de santé/);
    assert.match(html, /Consultations et visites/);
    assert.match(html, /LEVOTHYROX 75 µg &lt;cp&gt;/);
    assert.match(html, /Pharmacie du Centre &amp; Fils/);
    assert.match(html, /03\/10\/2026/);
    assert.doesNotMatch(html, /<cp>/);
  });
});
