import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { depositDocument, type Author } from '../src/documents';
import { createBlobStore, type BlobStore } from '../src/documents/blob-store';
import type { DocumentTables } from '../src/documents/tables';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import { dataKeyFor, sealForRecord } from '../src/platform';
import { auditCipher } from '../src/audit/recorder';
import { readHistory } from '../src/audit/trail';
import { findRecord } from '../src/records/records';
import { documentFhirId } from '../src/api/fhir/resources';
import type { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { DOMINIQUE, signedInPatient } from './helpers/patients';
import { CLAIRE_MARTIN, JULIEN_LEFEBVRE, professionalClient } from './helpers/professionals';

/**
 * The Document Responder as practice software uses it with the published guides only: IHE MHD
 * 4.2 ITI-67 (every search parameter), the DocumentReference read, ITI-66 (List), ITI-68 (Accept),
 * and the resources as ANS PDSm profiles them. Documents carry the sharing metadata an LGC sends
 * (deposited here through the documents module with a detailed author, as ITI-65 will).
 */

const pdf = (n: number) => Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${n}\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
const TRE_A03 = 'https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument';
const TRE_R02 = 'https://mos.esante.gouv.fr/NOS/TRE_R02-SecteurActivite/FHIR/TRE-R02-SecteurActivite';
const TRE_A01 = 'https://mos.esante.gouv.fr/NOS/TRE_A01-CadreExercice/FHIR/TRE-A01-CadreExercice';
const CCAM = 'urn:oid:1.2.250.1.213.2.5';

interface Resource {
  resourceType: string;
  id: string;
  [key: string]: unknown;
}
interface DocRef extends Resource {
  status: string;
  description: string;
  meta: { versionId: string; profile: string[] };
  masterIdentifier: { system: string; value: string };
  contained: (Resource & Record<string, any>)[];
  author: { reference?: string }[];
  custodian: { reference: string };
  category: { coding: { system: string; code: string; display?: string }[] }[];
  securityLabel: { coding: { system: string; code: string; display?: string }[] }[];
  relatesTo?: { code: string; target: { reference: string } }[];
  content: { attachment: { url: string; hash?: string; language: string; contentType: string; size: number; title: string }; format: { code: string } }[];
  context: Record<string, any>;
}
interface Bundle {
  resourceType: 'Bundle';
  type: string;
  total: number;
  link: { relation: string; url: string }[];
  entry: { fullUrl?: string; resource: Resource; search: { mode: string } }[];
}

describe('FHIR Document Responder: search, read, lists, retrieval (IHE MHD 4.2, ANS PDSm)', () => {
  let t: TestApp;
  let store: BlobStore;
  let recordId: string;
  let insMatricule: string;
  let ins: string;
  let claire: TestClient;
  let julien: TestClient;
  let patient: TestClient;
  const sets = { first: randomUUID(), second: randomUUID(), maskedOnly: randomUUID() };
  const ids: Record<string, string> = {};

  const claireAuthor: Author = {
    kind: 'professional',
    id: CLAIRE_MARTIN,
    name: 'Claire MARTIN',
    given: 'Claire',
    family: 'MARTIN',
    profession: 'G15_10',
    specialty: 'SM54',
    organization: { name: 'Cabinet du Dr Martin', id: '690000123' },
  };
  const otherAuthor: Author = { kind: 'professional', id: '10003000006', name: 'Hélène LEFÈBVRE', given: 'Hélène', family: 'LEFÈBVRE', profession: 'G15_10', specialty: 'SM44' };

  const base = () => `${t.ctx.config.PUBLIC_URL.replace(/\/$/, '')}/fhir`;
  const search = async (client: TestClient, query: string, headers: Record<string, string> = {}): Promise<Bundle> => {
    const res = await client.request('GET', `/fhir/DocumentReference?patient.identifier=${encodeURIComponent(ins)}${query}`, undefined, { headers });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };
  const matches = (bundle: Bundle) => (bundle.entry ?? []).filter((e) => e.search.mode === 'match').map((e) => e.resource as DocRef);
  const titles = async (client: TestClient, query: string) => matches(await search(client, query)).map((d) => d.description).sort();
  const history = () => readHistory(t.ctx.database.db, recordId, auditCipher(t.ctx.database.db, t.ctx.masterKey, t.clock.now()), { limit: 500 });

  const addSet = async (submissionSetId: string, uniqueId: string, extra: { sourceId?: string; contentType?: string; title?: string } = {}) => {
    const dataKey = await dataKeyFor(t.ctx.database.db, t.ctx.masterKey, recordId, t.clock.now());
    await t.ctx.database.db
      .withTables<DocumentTables>()
      .insertInto('submission_set')
      .values({
        record_id: recordId,
        submission_set_id: submissionSetId,
        unique_id: uniqueId,
        source_id: extra.sourceId ?? null,
        title_sealed: extra.title ? sealForRecord(dataKey, recordId, 'submission-set-title', Buffer.from(extra.title)) : null,
        content_type: extra.contentType ?? null,
        author_id: CLAIRE_MARTIN,
        author_name: 'Claire MARTIN',
        created_at: t.clock.now(),
      })
      .execute();
  };

  before(async () => {
    t = await startTestApp({ env: { BLOB_STORE: `file:${mkdtempSync(join(tmpdir(), 'fhir-search-'))}` } });
    store = createBlobStore(t.ctx.config);
    await loadDemoDirectoriesIfEmpty(t.ctx);
    ({ client: patient, recordId } = await signedInPatient(t, DOMINIQUE));
    const record = await findRecord(t.ctx, recordId);
    insMatricule = record.insMatricule;
    ins = `urn:oid:${record.insOid}|${insMatricule}`;
    claire = await professionalClient(t, CLAIRE_MARTIN);
    julien = await professionalClient(t, JULIEN_LEFEBVRE);
    assert.equal((await julien.post(`/api/pro/records/${recordId}/consent`, { consent: true })).statusCode, 200);
    const target = { recordId, insMatricule };
    await addSet(sets.first, 'urn:oid:1.2.250.1.999.2.1', { sourceId: 'urn:oid:1.2.250.1.999.9', contentType: `${TRE_R02}|SA05`, title: 'Consultation du 15 janvier' });
    const consultation = await depositDocument(t.ctx, store, claireAuthor, target, {
      bytes: pdf(1),
      typeCode: '11488-4',
      title: 'Compte rendu de consultation',
      careDate: '2026-01-15',
      metadata: {
        uniqueId: 'urn:oid:1.2.250.1.999.1.1',
        classCode: `${TRE_A03}|10`,
        confidentiality: 'N',
        facilityType: 'urn:oid:1.2.250.1.71.4.2.4|SA05',
        practiceSetting: `${TRE_A01}|AMBULATOIRE`,
        eventCodes: [`${CCAM}|DEQP003`],
        language: 'fr-FR',
        submissionSetId: sets.first,
      },
    });
    t.clock.advance(10 * 60_000); // 09:10
    await addSet(sets.second, 'urn:oid:1.2.250.1.999.2.2');
    const imaging = await depositDocument(t.ctx, store, otherAuthor, target, {
      bytes: pdf(2),
      typeCode: '18748-4',
      title: 'Radiographie du thorax',
      careDate: '2025-11-03',
      metadata: { uniqueId: 'urn:oid:1.2.250.1.999.1.2', classCode: 'urn:oid:1.2.250.1.213.1.1.4.1|13', confidentiality: 'R', eventCodes: ['http://snomed.info/sct|168537006'], submissionSetId: sets.second },
    });
    t.clock.advance(5 * 60_000); // 09:15
    await addSet(sets.maskedOnly, 'urn:oid:1.2.250.1.999.2.3');
    const secret = await depositDocument(t.ctx, store, claireAuthor, target, {
      bytes: pdf(3),
      typeCode: '57833-6',
      title: 'Ordonnance masquée',
      careDate: '2026-02-01',
      masked: true,
      metadata: { uniqueId: 'urn:oid:1.2.250.1.999.1.3', eventCodes: [`${CCAM}|SECRET1`], submissionSetId: sets.maskedOnly },
    });
    t.clock.advance(10 * 60_000); // 09:25
    // The consultation's report, replaced by a corrected version (same submission set: the first).
    const corrected = await depositDocument(
      t.ctx,
      store,
      claireAuthor,
      target,
      {
        bytes: pdf(4),
        typeCode: '11488-4',
        title: 'Compte rendu de consultation (corrigé)',
        careDate: '2026-01-20',
        metadata: {
          uniqueId: 'urn:oid:1.2.250.1.999.1.4',
          classCode: `${TRE_A03}|10`,
          facilityType: 'urn:oid:1.2.250.1.71.4.2.4|SA05',
          practiceSetting: `${TRE_A01}|AMBULATOIRE`,
          eventCodes: [`${CCAM}|DEQP003`],
          language: 'fr-FR',
          submissionSetId: sets.first,
        },
      },
      { documentId: consultation.documentId, version: 1 },
    );
    ids.consultationV1 = documentFhirId({ recordId, documentId: consultation.documentId, version: 1 });
    ids.corrected = documentFhirId({ recordId, documentId: corrected.documentId, version: corrected.version });
    ids.imaging = documentFhirId({ recordId, documentId: imaging.documentId, version: 1 });
    ids.secret = documentFhirId({ recordId, documentId: secret.documentId, version: 1 });
    ids.imagingDocument = imaging.documentId;
  });
  after(async () => t.close());

  it('declares in its CapabilityStatement only search parameters that work: a search with each is answered', async () => {
    const statement = (await claire.get('/fhir/metadata')).json();
    const resources: { type: string; interaction: { code: string }[]; searchParam?: { name: string; type: string }[] }[] = statement.rest[0].resource;
    const sample: Record<string, string> = {
      patient: `Patient/${recordId}`,
      'patient.identifier': ins,
      status: 'current',
      identifier: 'urn:ietf:rfc:3986|urn:oid:1.2.250.1.999.1.4',
      _id: ids.corrected!,
      date: 'ge2026-01-01',
      creation: 'le2026-12-31',
      'author.given': 'Claire',
      'author.family': 'Martin',
      category: `${TRE_A03}|10`,
      type: 'http://loinc.org|11488-4',
      setting: `${TRE_A01}|AMBULATOIRE`,
      period: 'ge2025-01-01',
      facility: `${TRE_R02}|SA05`,
      event: `${CCAM}|DEQP003`,
      'security-label': 'N',
      format: 'urn:ihe:iti:xds:2017:mimeTypeSufficient',
      related: `DocumentReference/${ids.consultationV1}`,
      relatesto: `DocumentReference/${ids.consultationV1}`,
      _count: '5',
      _offset: '0',
      _sort: '-date',
      code: 'submissionset',
      designationType: `${TRE_R02}|SA05`,
      sourceId: 'urn:oid:1.2.250.1.999.9',
      'source.given': 'Claire',
      'source.family': 'Martin',
    };
    for (const type of ['DocumentReference', 'List']) {
      const resource = resources.find((r) => r.type === type)!;
      assert.deepEqual(resource.interaction.map((i) => i.code).sort(), resource.type === 'DocumentReference' ? ['patch', 'read', 'search-type'] : ['read', 'search-type']);
      for (const { name } of resource.searchParam!) {
        assert.ok(sample[name], `a sample value for ${type}.${name}`);
        const patientParam = name === 'patient' || name === 'patient.identifier' ? '' : `patient.identifier=${encodeURIComponent(ins)}&`;
        const res = await claire.request('GET', `/fhir/${type}?${patientParam}${encodeURIComponent(name)}=${encodeURIComponent(sample[name]!)}`, undefined, { headers: { prefer: 'handling=strict' } });
        assert.ok(res.statusCode < 400, `${type}?${name}: ${res.statusCode} ${res.body}`);
        assert.equal(res.json().resourceType, 'Bundle');
      }
    }
    assert.deepEqual(resources.find((r) => r.type === 'Binary')!.interaction.map((i) => i.code), ['read']);
    assert.ok(statement.rest[0].interaction.some((i: { code: string }) => i.code === 'transaction'));
  });

  it('designates the patient by INS or by Patient id; an INS without a DMP finds nothing, with a warning', async () => {
    const byIns = await titles(claire, '&status=current');
    assert.deepEqual(byIns, ['Compte rendu de consultation (corrigé)', 'Ordonnance masquée', 'Radiographie du thorax']);
    for (const ref of [`Patient/${recordId}`, recordId, `${base()}/Patient/${recordId}`]) {
      const res = await claire.get(`/fhir/DocumentReference?patient=${encodeURIComponent(ref)}&status=current`);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(matches(res.json()).map((d) => d.description).sort(), byIns);
    }
    const stranger = await claire.get(`/fhir/DocumentReference?patient=Patient/${randomUUID()}&status=current`);
    assert.equal(stranger.json().total, 0);
    const noDmp = await claire.get(`/fhir/DocumentReference?patient.identifier=${encodeURIComponent(ins.replace(/\|.*$/, '|185054958815725'))}`);
    assert.equal(noDmp.statusCode, 200);
    assert.equal(noDmp.json().total, 0);
    assert.equal(noDmp.json().entry[0].search.mode, 'outcome');
    assert.equal(noDmp.json().entry[0].resource.issue[0].severity, 'warning');
    assert.equal((await claire.get('/fhir/DocumentReference?patient.identifier=urn:oid:1.2.3|1')).statusCode, 400, 'not an INS system');
    assert.equal((await claire.get(`/fhir/DocumentReference?status=current`)).statusCode, 400, 'no patient');
  });

  it('filters on status, identifier and _id, related', async () => {
    assert.deepEqual(await titles(claire, '&status=superseded'), ['Compte rendu de consultation']);
    assert.equal((await titles(claire, '&status=current,superseded')).length, 4);
    assert.equal((await titles(claire, '')).length, 4, 'no status: both');
    assert.deepEqual(await titles(claire, '&status=entered-in-error'), []);
    // TD3.1b: by the LGC's uniqueId (masterIdentifier), with or without its system; by the id.
    assert.deepEqual(await titles(claire, `&identifier=${encodeURIComponent('urn:ietf:rfc:3986|urn:oid:1.2.250.1.999.1.2')}`), ['Radiographie du thorax']);
    assert.deepEqual(await titles(claire, `&identifier=${encodeURIComponent('urn:oid:1.2.250.1.999.1.1,urn:oid:1.2.250.1.999.1.2')}`), ['Compte rendu de consultation', 'Radiographie du thorax']);
    assert.deepEqual(await titles(claire, `&identifier=${ids.imaging}`), ['Radiographie du thorax']);
    assert.deepEqual(await titles(claire, `&identifier=${encodeURIComponent('http://example.org|urn:oid:1.2.250.1.999.1.2')}`), [], 'another system');
    assert.deepEqual(await titles(claire, `&identifier=urn:oid:9.9.9`), []);
    assert.deepEqual(await titles(claire, `&_id=${ids.imaging},${ids.secret}`), ['Ordonnance masquée', 'Radiographie du thorax']);
    assert.deepEqual(await titles(claire, `&related=DocumentReference/${ids.consultationV1}`), ['Compte rendu de consultation (corrigé)']);
    assert.deepEqual(await titles(claire, `&related=DocumentReference/${ids.imaging}`), []);
  });

  it('filters on coded metadata, accepting the French class codes and both names of an ANS system, with OR-lists and ANDed repeats', async () => {
    const current = '&status=current';
    assert.deepEqual(await titles(claire, `${current}&category=${encodeURIComponent(`${TRE_A03}|10`)}`), ['Compte rendu de consultation (corrigé)']);
    // Sent as an OID, found by the URL (and the other way round).
    assert.deepEqual(await titles(claire, `${current}&category=${encodeURIComponent(`${TRE_A03}|13`)}`), ['Radiographie du thorax']);
    assert.deepEqual(await titles(claire, `${current}&category=${encodeURIComponent('urn:oid:1.2.250.1.213.1.1.4.1|10')}`), ['Compte rendu de consultation (corrigé)']);
    assert.deepEqual(await titles(claire, `${current}&category=10,13`), ['Compte rendu de consultation (corrigé)', 'Radiographie du thorax']);
    assert.deepEqual(await titles(claire, `${current}&category=${encodeURIComponent('https://opendmp.fr/fhir/CodeSystem/categorie-document|imagerie')}`), ['Radiographie du thorax']);
    assert.deepEqual(await titles(claire, `${current}&category=${encodeURIComponent(`${TRE_A03}|99`)}`), []);
    assert.deepEqual(await titles(claire, `${current}&type=${encodeURIComponent('http://loinc.org|18748-4,http://loinc.org|57833-6')}`), ['Ordonnance masquée', 'Radiographie du thorax']);
    assert.deepEqual(await titles(claire, `${current}&type=18748-4&type=57833-6`), [], 'two types at once: none');
    assert.deepEqual(await titles(claire, `${current}&type=99999-9`), [], 'an unknown type finds nothing');
    assert.deepEqual(await titles(claire, `${current}&facility=${encodeURIComponent(`${TRE_R02}|SA05`)}`), ['Compte rendu de consultation (corrigé)']);
    assert.deepEqual(await titles(claire, `${current}&facility=SA01`), []);
    assert.deepEqual(await titles(claire, `${current}&setting=${encodeURIComponent(`${TRE_A01}|`)}`), ['Compte rendu de consultation (corrigé)'], 'any code of the system');
    assert.deepEqual(await titles(claire, `${current}&event=${encodeURIComponent(`${CCAM}|DEQP003`)}`), ['Compte rendu de consultation (corrigé)']);
    assert.deepEqual(await titles(claire, `${current}&event=168537006,DEQP003`), ['Compte rendu de consultation (corrigé)', 'Radiographie du thorax']);
    assert.deepEqual(await titles(claire, `${current}&security-label=R`), ['Radiographie du thorax']);
    assert.deepEqual(await titles(claire, `${current}&security-label=MASQUE_PS`), ['Ordonnance masquée']);
    assert.deepEqual(await titles(claire, `${current}&security-label=${encodeURIComponent('http://terminology.hl7.org/CodeSystem/v3-Confidentiality|V')}`), []);
    assert.equal((await titles(claire, `${current}&format=${encodeURIComponent('http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode|urn:ihe:iti:xds:2017:mimeTypeSufficient')}`)).length, 3);
    assert.deepEqual(await titles(claire, `${current}&format=urn:ihe:iti:xds-sd:pdf:2008`), []);
  });

  it('searches dates with every FHIR prefix: period on the date of care, date and creation on the registration', async () => {
    const period = (value: string) => titles(claire, `&status=current&period=${encodeURIComponent(value)}`);
    assert.deepEqual(await period('2026-01'), ['Compte rendu de consultation (corrigé)']);
    assert.deepEqual(await period('eq2026-01-20'), ['Compte rendu de consultation (corrigé)']);
    assert.deepEqual(await period('ne2026-01-20'), ['Ordonnance masquée', 'Radiographie du thorax']);
    assert.deepEqual(await period('ge2026-01-20'), ['Compte rendu de consultation (corrigé)', 'Ordonnance masquée']);
    assert.deepEqual(await period('gt2026-01-20'), ['Ordonnance masquée']);
    assert.deepEqual(await period('le2026-01-20'), ['Compte rendu de consultation (corrigé)', 'Radiographie du thorax']);
    assert.deepEqual(await period('lt2026-01-20'), ['Radiographie du thorax']);
    assert.deepEqual(await period('sa2025-12'), ['Compte rendu de consultation (corrigé)', 'Ordonnance masquée']);
    assert.deepEqual(await period('eb2026'), ['Radiographie du thorax']);
    assert.deepEqual(await period('ap2026-01-19'), ['Compte rendu de consultation (corrigé)'], '±10 % of the 52 days to now');
    assert.deepEqual(await titles(claire, `&status=current&period=ge2025-11-01&period=lt2026-01-01`), ['Radiographie du thorax'], 'a range');
    // Registered at 09:00 (the first version), 09:10, 09:15 and 09:25 (the correction) on 2026-03-12.
    assert.deepEqual(await titles(claire, `&status=current&date=${encodeURIComponent('lt2026-03-12T09:10:00Z')}`), []);
    assert.deepEqual(await titles(claire, `&status=current&date=${encodeURIComponent('ge2026-03-12T09:10:00Z')}&date=${encodeURIComponent('lt2026-03-12T09:20:00+00:00')}`), ['Ordonnance masquée', 'Radiographie du thorax']);
    assert.deepEqual(await titles(claire, `&status=current&date=${encodeURIComponent('2026-03-12T10:10+01:00')}`), ['Radiographie du thorax'], 'a minute, in another time zone');
    assert.deepEqual(await titles(claire, `&status=current&creation=${encodeURIComponent('2026-03-12T09:25:00Z')}`), ['Compte rendu de consultation (corrigé)']);
    assert.equal((await titles(claire, '&status=current&date=2026-03-12')).length, 3);
    const bad = await claire.get(`/fhir/DocumentReference?patient.identifier=${encodeURIComponent(ins)}&period=ge2026-13-01`);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().issue[0].diagnostics, /period/);
  });

  it('searches the author’s names as FHIR strings (start, case and accents aside; :exact, :contains)', async () => {
    assert.deepEqual(await titles(claire, '&status=current&author.family=mart'), ['Compte rendu de consultation (corrigé)', 'Ordonnance masquée']);
    assert.deepEqual(await titles(claire, '&status=current&author.family=lefebvre'), ['Radiographie du thorax']);
    assert.deepEqual(await titles(claire, '&status=current&author.given=helene'), ['Radiographie du thorax']);
    assert.deepEqual(await titles(claire, '&status=current&author.family:exact=martin'), []);
    assert.deepEqual(await titles(claire, '&status=current&author.family:exact=MARTIN&author.given=Claire'), ['Compte rendu de consultation (corrigé)', 'Ordonnance masquée']);
    assert.deepEqual(await titles(claire, '&status=current&author.family:contains=febv'), ['Radiographie du thorax']);
    const unknownModifier = await claire.get(`/fhir/DocumentReference?patient.identifier=${encodeURIComponent(ins)}&type:not=11488-4`);
    assert.equal(unknownModifier.statusCode, 400, 'an unknown modifier is refused, not ignored');
  });

  it('pages with _count (capped, not refused), absolute self and next links, and sorts', async () => {
    const first = await search(claire, '&_count=2&_sort=period');
    assert.equal(first.total, 4);
    assert.deepEqual(matches(first).map((d) => d.description), ['Radiographie du thorax', 'Compte rendu de consultation']);
    const next = first.link.find((l) => l.relation === 'next')!.url;
    assert.ok(next.startsWith(`${base()}/DocumentReference?`), next);
    assert.ok(first.link.find((l) => l.relation === 'self')!.url.startsWith(base()));
    const second: Bundle = (await claire.get(new URL(next).pathname + new URL(next).search)).json();
    assert.deepEqual(matches(second).map((d) => d.description), ['Compte rendu de consultation (corrigé)', 'Ordonnance masquée']);
    assert.equal(second.link.find((l) => l.relation === 'next'), undefined);
    const big = await search(claire, '&_count=100000');
    assert.equal(matches(big).length, 4);
    assert.match(big.link.find((l) => l.relation === 'self')!.url, /_count=100(&|$)/);
    const countOnly = await search(claire, '&_count=0');
    assert.equal(countOnly.total, 4);
    assert.equal(matches(countOnly).length, 0);
    assert.deepEqual(matches(await search(claire, '&status=current&_sort=-period')).map((d) => d.description), ['Ordonnance masquée', 'Compte rendu de consultation (corrigé)', 'Radiographie du thorax']);
    assert.deepEqual(matches(await search(claire, '&status=current&_sort=date')).map((d) => d.description), ['Radiographie du thorax', 'Ordonnance masquée', 'Compte rendu de consultation (corrigé)']);
    const ignored = await search(claire, '&_sort=colour&colour=blue');
    assert.ok(ignored.entry.some((e) => e.search.mode === 'outcome' && JSON.stringify(e.resource).includes('colour')));
    assert.ok(!ignored.link[0]!.url.includes('colour'), 'the self link says what was applied');
  });

  it('answers POST _search with a form body as it answers GET', async () => {
    const form = `patient.identifier=${encodeURIComponent(ins)}&status=current&type=${encodeURIComponent('http://loinc.org|18748-4')}`;
    const res = await claire.request('POST', '/fhir/DocumentReference/_search', form, { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(matches(res.json()).map((d) => d.description), ['Radiographie du thorax']);
    const mixed = await claire.request('POST', `/fhir/DocumentReference/_search?patient.identifier=${encodeURIComponent(ins)}`, 'category=10&status=current', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.deepEqual(matches(mixed.json()).map((d) => d.description), ['Compte rendu de consultation (corrigé)']);
  });

  it('never reveals a masked document to a professional who may not see it, whatever the parameter', async () => {
    assert.deepEqual(await titles(julien, '&status=current'), ['Compte rendu de consultation (corrigé)', 'Radiographie du thorax']);
    assert.deepEqual(await titles(julien, `&event=${encodeURIComponent(`${CCAM}|SECRET1`)}`), []);
    assert.deepEqual(await titles(julien, `&identifier=${encodeURIComponent('urn:oid:1.2.250.1.999.1.3')}`), []);
    assert.deepEqual(await titles(julien, `&_id=${ids.secret}`), []);
    assert.deepEqual(await titles(julien, '&security-label=MASQUE_PS'), []);
    assert.equal((await search(julien, `&event=${encodeURIComponent(`${CCAM}|SECRET1`)}`)).total, 0);
    assert.equal((await julien.get(`/fhir/DocumentReference/${ids.secret}`)).statusCode, 403);
    assert.deepEqual(await titles(claire, `&event=${encodeURIComponent(`${CCAM}|SECRET1`)}`), ['Ordonnance masquée'], 'the médecin traitant sees it');
  });

  it('reads one DocumentReference with its versionId as a weak ETag, 304 when unchanged, traced as an opening', async () => {
    const res = await claire.get(`/fhir/DocumentReference/${ids.imaging}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^application\/fhir\+json/);
    const doc: DocRef = res.json();
    assert.equal(doc.id, ids.imaging);
    assert.equal(doc.meta.versionId, '1');
    assert.equal(res.headers.etag, 'W/"1"');
    const unchanged = await claire.request('GET', `/fhir/DocumentReference/${ids.imaging}`, undefined, { headers: { 'if-none-match': 'W/"1"' } });
    assert.equal(unchanged.statusCode, 304);
    assert.equal(unchanged.body, '');
    // The patient masks it: its metadata changes, and so does its version.
    assert.equal((await patient.post(`/api/records/${recordId}/documents/${ids.imagingDocument}/mask`, { masked: true })).statusCode, 200);
    const changed = await claire.request('GET', `/fhir/DocumentReference/${ids.imaging}`, undefined, { headers: { 'if-none-match': 'W/"1"' } });
    assert.equal(changed.statusCode, 200);
    assert.equal(changed.headers.etag, 'W/"2"');
    assert.equal(changed.json().meta.versionId, '2');
    assert.ok(changed.json().securityLabel.some((l: { coding: { code: string }[] }) => l.coding[0]!.code === 'MASQUE_PS'));
    assert.equal((await patient.post(`/api/records/${recordId}/documents/${ids.imagingDocument}/mask`, { masked: false })).statusCode, 200);
    assert.equal((await claire.get(`/fhir/DocumentReference/${ids.imaging}`)).json().meta.versionId, '3');
    assert.ok((await history()).some((e) => e.actorId === CLAIRE_MARTIN && e.action === 'open-document' && e.documentId === ids.imagingDocument && e.allowed));
    assert.equal((await claire.get('/fhir/DocumentReference/nope')).statusCode, 404);
  });

  it('finds and reads submission sets as Lists (ITI-66), with only the documents the professional may see', async () => {
    const lists = async (client: TestClient, query: string) => {
      const res = await client.get(`/fhir/List?patient.identifier=${encodeURIComponent(ins)}${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return ((res.json() as Bundle).entry ?? []).filter((e) => e.search.mode === 'match').map((e) => e.resource as Resource & Record<string, any>);
    };
    const all = await lists(claire, '&code=submissionset&status=current');
    assert.equal(all.length, 3);
    const forJulien = await lists(julien, '&code=submissionset&status=current');
    assert.deepEqual(forJulien.map((l) => l.identifier[0].value).sort(), ['urn:oid:1.2.250.1.999.2.1', 'urn:oid:1.2.250.1.999.2.2'], 'a set of masked documents only is not shown');
    const first = forJulien.find((l) => l.identifier[0].value === 'urn:oid:1.2.250.1.999.2.1')!;
    assert.deepEqual(first.meta.profile, ['https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-submissionset-comprehensive']);
    assert.equal(first.title, 'Consultation du 15 janvier');
    assert.equal(first.code.coding[0].code, 'submissionset');
    assert.deepEqual(first.entry.map((e: { item: { reference: string } }) => e.item.reference).sort(), [`DocumentReference/${ids.consultationV1}`, `DocumentReference/${ids.corrected}`].sort());
    assert.equal(first.identifier[1].value, `urn:uuid:${sets.first}`);
    assert.deepEqual((await lists(claire, `&identifier=${encodeURIComponent(`urn:uuid:${sets.second}`)}`)).length, 1);
    assert.equal((await lists(claire, `&designationType=${encodeURIComponent('urn:oid:1.2.250.1.71.4.2.4|SA05')}`)).length, 1);
    assert.equal((await lists(claire, '&sourceId=1.2.250.1.999.9')).length, 1);
    assert.equal((await lists(claire, `&date=${encodeURIComponent('ge2026-03-12T09:05:00Z')}`)).length, 2);
    assert.equal((await lists(claire, '&source.family=martin')).length, 3);
    assert.equal((await lists(claire, '&code=folder')).length, 0);
    const read = await julien.get(`/fhir/List/${first.id}`);
    assert.equal(read.statusCode, 200, read.body);
    assert.equal(read.json().id, first.id);
    const maskedOnly = all.find((l) => l.identifier[0].value === 'urn:oid:1.2.250.1.999.2.3')!;
    assert.equal((await julien.get(`/fhir/List/${maskedOnly.id}`)).statusCode, 404);
    assert.equal((await claire.get(`/fhir/List/${maskedOnly.id}`)).statusCode, 200);
    const posted = await claire.request('POST', '/fhir/List/_search', `patient.identifier=${encodeURIComponent(ins)}&code=submissionset`, { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(posted.json().total, 3);
  });

  it('retrieves a document (ITI-68) as its own bytes or as a Binary, following Accept; 406 otherwise', async () => {
    const url = `/fhir/Binary/${ids.imaging}`;
    const get = (accept?: string) => claire.request('GET', url, undefined, { headers: accept ? { accept } : {} });
    for (const accept of [undefined, 'application/pdf', '*/*', 'application/*', 'application/fhir+json;q=0.5, application/pdf']) {
      const res = await get(accept);
      assert.equal(res.statusCode, 200, `${accept}: ${res.body}`);
      assert.equal(res.headers['content-type'], 'application/pdf', String(accept));
      assert.deepEqual(res.rawPayload, pdf(2));
    }
    for (const accept of ['application/fhir+json', 'application/fhir+json, */*']) {
      const res = await get(accept);
      assert.equal(res.json().resourceType, 'Binary', accept);
      assert.deepEqual(Buffer.from(res.json().data, 'base64'), pdf(2));
    }
    const refused = await get('text/html');
    assert.equal(refused.statusCode, 406);
    assert.equal(refused.json().resourceType, 'OperationOutcome');
    assert.match(refused.json().issue[0].diagnostics, /application\/pdf/);
    assert.equal((await claire.get(`${url}?_format=json`)).json().resourceType, 'Binary');
  });

  it('returns DocumentReferences shaped as PDSm: profile, identifiers, RPPS author, custodian, codes with their displays, hash, relatesTo', async () => {
    const [doc] = matches(await search(claire, `&_id=${ids.corrected}`)) as [DocRef];
    assert.deepEqual(doc.meta.profile, ['https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-comprehensive-document-reference']);
    assert.equal(doc.status, 'current');
    assert.deepEqual(doc.masterIdentifier, { type: { coding: [{ system: 'https://profiles.ihe.net/ITI/MHD/CodeSystem/IHE.MHD.MHDIdentifierType', code: 'uniqueId' }] }, system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.250.1.999.1.4' });
    const contained = (id: string) => doc.contained.find((r) => r.id === id)!;
    assert.equal(doc.author[0]!.reference, '#author');
    const role = contained('author');
    assert.equal(role.resourceType, 'PractitionerRole');
    assert.deepEqual(role.code[0].coding[0], { system: 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', code: '10', display: 'Médecin' });
    assert.deepEqual(role.specialty[0].coding[0], { system: 'https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale', code: 'SM54', display: 'Médecin - Médecine Générale (SM)' });
    const person = contained(role.practitioner.reference.slice(1));
    assert.deepEqual(
      person.identifier.map((i: { system: string; value: string; type: { coding: { code: string }[] } }) => [i.type.coding[0]!.code, i.system, i.value]),
      [
        ['IDNPS', 'urn:oid:1.2.250.1.71.4.2.1', `8${CLAIRE_MARTIN}`],
        ['RPPS', 'https://rpps.esante.gouv.fr', CLAIRE_MARTIN],
      ],
    );
    assert.deepEqual(person.name[0], { text: 'Claire MARTIN', family: 'MARTIN', given: ['Claire'] });
    const organization = contained(role.organization.reference.slice(1));
    assert.deepEqual(organization.identifier[0].value, '1690000123');
    assert.equal(organization.name, 'Cabinet du Dr Martin');
    assert.equal(contained(doc.custodian.reference.slice(1)).resourceType, 'Organization');
    // One category (MHD Comprehensive 1..1): the class code, and OpenDMP's category as another coding of it.
    assert.deepEqual(doc.category.flatMap((c) => c.coding.map((coding) => coding.system)), [TRE_A03, 'https://opendmp.fr/fhir/CodeSystem/categorie-document']);
    assert.equal(doc.category.length, 1);
    assert.deepEqual(doc.securityLabel[0]!.coding[0], { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'N', display: 'Normal' });
    const attachment = doc.content[0]!.attachment;
    assert.equal(attachment.hash, createHash('sha1').update(pdf(4)).digest('base64'));
    assert.equal(attachment.language, 'fr-FR');
    assert.equal(attachment.url, `${base()}/Binary/${ids.corrected}`);
    assert.equal(attachment.title, 'Compte rendu de consultation (corrigé)');
    assert.equal(doc.content[0]!.format.code, 'urn:ihe:iti:xds:2017:mimeTypeSufficient');
    assert.deepEqual(doc.context.facilityType.coding[0], { system: 'urn:oid:1.2.250.1.71.4.2.4', code: 'SA05', display: 'Centre de santé' });
    assert.deepEqual(doc.context.practiceSetting.coding[0], { system: TRE_A01, code: 'AMBULATOIRE', display: 'Ambulatoire' });
    assert.deepEqual(doc.context.event[0].coding[0], { system: CCAM, code: 'DEQP003' });
    assert.equal(doc.context.period.start, '2026-01-20');
    assert.equal(contained(doc.context.sourcePatientInfo.reference.slice(1)).identifier[0].value, insMatricule);
    assert.deepEqual(doc.subject, { reference: `Patient/${recordId}`, identifier: { system: ins.split('|')[0], value: insMatricule } });
    assert.deepEqual(doc.relatesTo, [{ code: 'replaces', target: { reference: `DocumentReference/${ids.consultationV1}` } }]);
    const [old] = matches(await search(claire, `&_id=${ids.consultationV1}`)) as [DocRef];
    assert.equal(old.status, 'superseded');
    assert.equal(old.relatesTo, undefined);
    assert.equal(old.meta.versionId, '2', 'its status changed once (replaced)');
  });
});
