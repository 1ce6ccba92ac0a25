import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditCipher } from '../src/audit/recorder';
import { readHistory } from '../src/audit/trail';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import { loadDirectoryFile } from '../src/directory/load';
import { documentFhirId } from '../src/api/fhir/resources';
import type { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { multipart } from './helpers/multipart';
import { DOMINIQUE, signedInPatient } from './helpers/patients';
import { CLAIRE_MARTIN, JULIEN_LEFEBVRE, professionalClient, THOMAS_MOREAU } from './helpers/professionals';

/**
 * PDQm ITI-78 (the PDSm4DMP TD0.2 check), the access history as AuditEvents and the access
 * settings as Consents, through /fhir, each decided by the access policy and traced.
 */

const TEST_NIR = 'urn:oid:1.2.250.1.213.1.4.10';
const REAL_NIR = 'urn:oid:1.2.250.1.213.1.4.8';
const TEST_NIA = 'urn:oid:1.2.250.1.213.1.4.11';
const CLOSURE = 'https://interop.esante.gouv.fr/ig/fhir/dmp/StructureDefinition/dmp-fermeture';
const TREATING = 'https://interop.esante.gouv.fr/ig/fhir/dmp/StructureDefinition/dmp-medecin-traitant';
const ACCESS = 'https://opendmp.fr/fhir/StructureDefinition/dmp-acces-professionnel';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** A NIR or NIA with its key (97 − number mod 97), for people made up here. */
const withKey = (number13: string) => `${number13}${String(97 - Number(BigInt(number13) % 97n)).padStart(2, '0')}`;
const REAL_PERSON_NIR = withKey('1900769123456');
const NIA_PERSON = withKey('8920175123456');
const NICOLAS_NIR = '185054958815725'; // in the demo directory, without a DMP here

type Ext = { url: string; valueBoolean?: boolean; valueDate?: string; valueCode?: string; valueString?: string; valueAddress?: { district: string }; extension?: Ext[] };
interface FhirPatient {
  resourceType: 'Patient';
  id: string;
  active: boolean;
  identifier: { use: string; system: string; value: string }[];
  name?: { use: string; family: string; given?: string[] }[];
  gender?: string;
  birthDate?: string;
  extension: Ext[];
}
interface SearchSet<T> {
  resourceType: 'Bundle';
  type: string;
  total?: number;
  link: { relation: string; url: string }[];
  entry?: { fullUrl: string; resource: T }[];
}
interface Coding {
  system?: string;
  code: string;
}
interface FhirAuditEvent {
  id: string;
  type: Coding;
  subtype?: Coding[];
  action: string;
  recorded: string;
  outcome: string;
  agent: { requestor: boolean; who: { identifier?: { system: string; value: string }; reference?: string; display?: string }; policy?: string[] }[];
  entity: { what: { reference?: string; identifier?: { value: string } }; role: Coding }[];
}
interface FhirConsent {
  id: string;
  status: string;
  scope: { coding: Coding[] };
  category: { coding: Coding[] }[];
  patient: { reference: string };
  policyRule: { coding: Coding[] };
  provision: { type: string; actor?: { reference: { identifier: { system: string; value: string }; display: string } }[]; action: { coding: Coding[] }[] };
}

describe('PDQm ITI-78, AuditEvent and Consent at /fhir', () => {
  let t: TestApp;
  let patient: TestClient;
  let recordId: string;
  let claire: TestClient;
  let julien: TestClient;
  let thomas: TestClient;
  let realRecordId: string;
  let prescriptionId: string;

  const ext = (p: FhirPatient, url: string) => p.extension.find((e) => e.url === url);
  const patients = (res: { json(): SearchSet<FhirPatient> }) => (res.json().entry ?? []).map((e) => e.resource);
  const lookup = (client: TestClient, identifier: string) => client.get(`/fhir/Patient?identifier=${encodeURIComponent(identifier)}`);
  const history = () => readHistory(t.ctx.database.db, recordId, auditCipher(t.ctx.database.db, t.ctx.masterKey, t.clock.now()), { limit: 500 });
  const audit = (client: TestClient, query: string) => client.get(`/fhir/AuditEvent?${query}`);
  const byIns = `patient.identifier=${encodeURIComponent(`${TEST_NIR}|${DOMINIQUE.nir}`)}`;

  before(async () => {
    t = await startTestApp({ env: { BLOB_STORE: `file:${mkdtempSync(join(tmpdir(), 'fhir-patient-blobs-'))}` } });
    await loadDemoDirectoriesIfEmpty(t.ctx);
    // Two people under OIDs the demo does not use: a real NIR (OID …4.8) and a test NIA (…4.11).
    const dir = mkdtempSync(join(tmpdir(), 'fhir-patient-dir-'));
    const header = 'nir,birth_name,first_names,used_name,sex,birth_date,birth_place,card_holder_nir,vitale_serial,vitale_type,email,mobile,address_line,postal_code,city,treating_doctor_rpps';
    writeFileSync(join(dir, 'real.csv'), `${header}\n${REAL_PERSON_NIR},LEROY,Paul André,,M,1990-07-02,69123,${REAL_PERSON_NIR},1990070269123401,photo,paul.leroy@example.com,+33639980071,3 rue Mercière,69002,Lyon,\n`);
    writeFileSync(join(dir, 'nia.csv'), `${header}\n${NIA_PERSON},NGUYEN,Linh,MARTIN,F,1992-01-15,99243,${NIA_PERSON},1992011599243401,photo,linh.nguyen@example.com,+33639980072,8 rue de la Paix,75002,Paris,\n`);
    assert.equal((await loadDirectoryFile(t.ctx, 'insured', join(dir, 'real.csv'))).loaded, 1);
    assert.equal((await loadDirectoryFile(t.ctx, 'insured', join(dir, 'nia.csv'), { test: true })).loaded, 1);

    ({ client: patient, recordId } = await signedInPatient(t, DOMINIQUE));
    claire = await professionalClient(t, CLAIRE_MARTIN);
    julien = await professionalClient(t, JULIEN_LEFEBVRE);
    thomas = await professionalClient(t, THOMAS_MOREAU);
    for (const [nir, serial] of [
      [REAL_PERSON_NIR, '1990070269123401'],
      [NIA_PERSON, '1992011599243401'],
    ] as const) {
      const created = await thomas.post('/api/pro/records', { nir, vitaleSerial: serial, mobile: '0639980071', consent: true });
      assert.equal(created.statusCode, 201, created.body);
      if (nir === REAL_PERSON_NIR) realRecordId = created.json().recordId;
    }
    const body = multipart({ typeCode: '57833-6', title: 'Ordonnance', careDate: '2026-03-01' }, { name: 'ordonnance.pdf', type: 'application/pdf', bytes: PDF });
    const deposited = await claire.request('POST', `/api/pro/records/${recordId}/documents`, body.payload, { headers: body.headers });
    assert.equal(deposited.statusCode, 201, deposited.body);
    prescriptionId = deposited.json().documentId;
  });
  after(async () => t.close());

  describe('ITI-78 Patient Demographics Query (PDSm4DMP TD0.2)', () => {
    it('finds the patient by INS with the INS traits, the DMP open, and the médecin traitant told so', async () => {
      const res = await lookup(claire, `${TEST_NIR}|${DOMINIQUE.nir}`);
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^application\/fhir\+json/);
      const bundle = res.json() as SearchSet<FhirPatient>;
      assert.equal(bundle.type, 'searchset');
      assert.equal(bundle.total, 1);
      const [found] = patients(res);
      assert.equal(found!.id, recordId);
      assert.equal(bundle.entry![0]!.fullUrl, `${t.ctx.config.PUBLIC_URL.replace(/\/$/, '')}/fhir/Patient/${recordId}`);
      assert.deepEqual(found!.identifier, [{ use: 'official', system: TEST_NIR, value: DOMINIQUE.nir }]);
      assert.deepEqual(found!.name, [{ use: 'official', family: 'PAT-TROIS', given: ['Dominique Marie-Louise'] }]);
      assert.equal(found!.gender, 'female');
      assert.equal(found!.birthDate, '1979-03-28');
      assert.equal(found!.active, true);
      assert.equal(ext(found!, CLOSURE), undefined);
      assert.equal(ext(found!, TREATING)?.valueBoolean, true);
      assert.equal(ext(found!, 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace')?.valueAddress?.district, '51215');
      const access = ext(found!, ACCESS)!.extension!;
      assert.equal(access.find((e) => e.url === 'lecture')?.valueBoolean, true);
      assert.equal(access.find((e) => e.url === 'regle')?.valueCode, 'treating-doctor');
    });

    it('tells a GP without the patient’s consent the DMP is there and why they may not read it, naming nobody (traced)', async () => {
      const res = await lookup(julien, `${TEST_NIR}|${DOMINIQUE.nir}`);
      assert.equal(res.statusCode, 200, res.body);
      const [found] = patients(res);
      assert.deepEqual(found!.identifier, [{ use: 'official', system: TEST_NIR, value: DOMINIQUE.nir }]);
      assert.equal(found!.active, true);
      // The identity is the record's first content: not to whom may not read it.
      assert.deepEqual([found!.name, found!.gender, found!.birthDate], [undefined, undefined, undefined]);
      assert.equal(ext(found!, 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace'), undefined);
      assert.equal(ext(found!, TREATING)?.valueBoolean, false);
      const access = ext(found!, ACCESS)!.extension!;
      assert.equal(access.find((e) => e.url === 'lecture')?.valueBoolean, false);
      assert.equal(access.find((e) => e.url === 'regle')?.valueCode, 'not-authorized');
      assert.match(access.find((e) => e.url === 'explication')?.valueString ?? '', /autoris|accord/i);
      // Said to the professional who asked, not to the patient (#13 point 7).
      assert.match(access.find((e) => e.url === 'explication')?.valueString ?? '', /^Vous ne pouvez pas .* car le patient ne vous a pas autorisé/);
      const refused = (await history()).filter((e) => e.actorId === JULIEN_LEFEBVRE && e.action === 'read-list' && !e.allowed);
      assert.ok(refused.some((e) => e.rule === 'not-authorized' && e.personal?.details?.content === 'patient'), 'the refusal is traced');
    });

    it('answers POST _search with a form body as GET, and refuses another body', async () => {
      const res = await claire.request('POST', '/fhir/Patient/_search', `identifier=${encodeURIComponent(`${TEST_NIR}|${DOMINIQUE.nir}`)}`, { headers: FORM });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(patients(res).map((p) => p.id), [recordId]);
      const json = await claire.request('POST', '/fhir/Patient/_search', JSON.stringify({ identifier: DOMINIQUE.nir }), { headers: { 'content-type': 'application/fhir+json' } });
      assert.equal(json.statusCode, 415, json.body);
      assert.equal(json.json().resourceType, 'OperationOutcome');
    });

    it('understands each INS OID, and never takes a test INS for a real one', async () => {
      const real = patients(await lookup(thomas, `${REAL_NIR}|${REAL_PERSON_NIR}`));
      assert.deepEqual(real.map((p) => [p.id, p.identifier[0]!.system, p.identifier[0]!.use, p.name![0]!.family]), [[realRecordId, REAL_NIR, 'official', 'LEROY']]);
      const nia = patients(await lookup(thomas, `${TEST_NIA}|${NIA_PERSON}`));
      assert.deepEqual(nia.map((p) => [p.identifier[0]!.system, p.identifier[0]!.use]), [[TEST_NIA, 'temp']]);
      assert.deepEqual(nia[0]!.name, [{ use: 'official', family: 'NGUYEN', given: ['Linh'] }, { use: 'usual', family: 'MARTIN' }]);
      // The same matricules under the other OID are other identities: no match.
      assert.equal((await lookup(thomas, `${TEST_NIR}|${REAL_PERSON_NIR}`)).json().total, 0);
      assert.equal((await lookup(claire, `${REAL_NIR}|${DOMINIQUE.nir}`)).json().total, 0);
      // A value without a system matches the INS under whichever INS OID it is filed.
      assert.deepEqual(patients(await lookup(claire, DOMINIQUE.nir)).map((p) => p.id), [recordId]);
    });

    it('answers an INS without a DMP, known or not, with an empty searchset (PDQm case 3)', async () => {
      for (const identifier of [`${TEST_NIR}|${NICOLAS_NIR}`, `${TEST_NIR}|${withKey('1990175999999')}`]) {
        const res = await lookup(julien, identifier);
        assert.equal(res.statusCode, 200, res.body);
        const bundle = res.json() as SearchSet<FhirPatient>;
        assert.equal(bundle.type, 'searchset');
        assert.equal(bundle.total, 0);
        assert.equal(bundle.entry, undefined, 'no entry at all');
      }
      // A system that is not an INS is a domain this server knows nothing of (PDQm case 4: 404).
      const foreign = await lookup(julien, `urn:oid:1.2.3.4|${DOMINIQUE.nir}`);
      assert.equal(foreign.statusCode, 404, foreign.body);
      assert.equal(foreign.json().issue[0].severity, 'warning');
      assert.equal(foreign.json().issue[0].diagnostics, 'targetSystem not found');
    });

    it('never searches by name or by a trait: the parameter is refused by name', async () => {
      for (const [query, named] of [
        ['family=PAT-TROIS', 'family'],
        ['birthdate=1979-03-28', 'birthdate'],
        [`identifier=${encodeURIComponent(`${TEST_NIR}|${DOMINIQUE.nir}`)}&given=Dominique`, 'given'],
        ['name:exact=PAT-TROIS', 'name:exact'],
      ] as const) {
        const res = await julien.get(`/fhir/Patient?${query}`);
        assert.equal(res.statusCode, 400, res.body);
        const outcome = res.json();
        assert.equal(outcome.resourceType, 'OperationOutcome');
        assert.ok(outcome.issue[0].diagnostics.includes(`« ${named} »`), outcome.issue[0].diagnostics);
      }
      const posted = await julien.request('POST', '/fhir/Patient/_search', 'family=PAT-TROIS&gender=female', { headers: FORM });
      assert.equal(posted.statusCode, 400, posted.body);
      assert.match(posted.json().issue[0].diagnostics, /« family ».*« gender »/);
      const none = await julien.get('/fhir/Patient');
      assert.equal(none.statusCode, 400, none.body);
      assert.match(none.json().issue[0].diagnostics, /INS/);
    });

    it('reads a Patient by its id, and answers an unknown one with a 404', async () => {
      const res = await julien.get(`/fhir/Patient/${recordId}`);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().resourceType, 'Patient');
      assert.deepEqual(res.json().identifier, [{ use: 'official', system: TEST_NIR, value: DOMINIQUE.nir }]);
      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-an-id']) {
        const missing = await julien.get(`/fhir/Patient/${id}`);
        assert.equal(missing.statusCode, 404, missing.body);
        assert.equal(missing.json().issue[0].code, 'not-found');
      }
    });

    it('is for professionals only', async () => {
      const res = await patient.get(`/fhir/Patient?identifier=${encodeURIComponent(`${TEST_NIR}|${DOMINIQUE.nir}`)}`);
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(res.json().resourceType, 'OperationOutcome');
    });
  });

  describe('AuditEvent: the access history', () => {
    it('shows the médecin traitant a document read by a pharmacist, with his RPPS (ITI-68)', async () => {
      assert.equal((await thomas.post(`/api/pro/records/${recordId}/consent`, { consent: true })).statusCode, 200);
      const read = await thomas.get(`/fhir/Binary/${documentFhirId({ recordId, documentId: prescriptionId, version: 1 })}`);
      assert.equal(read.statusCode, 200, read.body);

      const res = await audit(claire, byIns);
      assert.equal(res.statusCode, 200, res.body);
      const bundle = res.json() as SearchSet<FhirAuditEvent>;
      assert.equal(bundle.type, 'searchset');
      const events = bundle.entry!.map((e) => e.resource);
      const opened = events.find((e) => e.agent[0]!.who.identifier?.value === `8${THOMAS_MOREAU}` && e.action === 'R');
      assert.ok(opened, 'the pharmacist’s read is there');
      assert.equal(opened.agent[0]!.who.identifier!.system, 'urn:oid:1.2.250.1.71.4.2.1');
      assert.equal(opened.agent[0]!.requestor, true);
      assert.equal(opened.outcome, '0');
      assert.deepEqual(opened.subtype?.map((c) => c.code), ['read', 'ITI-68']);
      assert.ok(opened.entity.some((e) => e.what.identifier?.value === `urn:uuid:${prescriptionId}` && e.role.code === '3'));
      assert.ok(opened.entity.some((e) => e.what.reference === `Patient/${recordId}` && e.role.code === '1'));
      // Claire's deposit (ITI-65, an import) and this very reading of the history (DICOM « Audit Log Used »), newest first.
      const deposit = events.find((e) => e.agent[0]!.who.identifier?.value === `8${CLAIRE_MARTIN}` && e.action === 'C');
      assert.deepEqual([deposit?.type.code, deposit?.subtype?.[0]?.code], ['110107', 'ITI-65']);
      assert.equal(events[0]!.type.code, '110101');
      assert.equal(events[0]!.agent[0]!.who.identifier?.value, `8${CLAIRE_MARTIN}`);
      // The same history by a reference to the Patient found by ITI-78.
      const byReference = await audit(claire, `patient=Patient/${recordId}`);
      assert.equal(byReference.statusCode, 200, byReference.body);
      assert.ok((byReference.json() as SearchSet<FhirAuditEvent>).entry!.some((e) => e.resource.id === opened.id));
    });

    it('pages with _count and next links, and filters by date', async () => {
      const first = (await audit(claire, `${byIns}&_count=2`)).json() as SearchSet<FhirAuditEvent>;
      assert.equal(first.entry!.length, 2);
      const next = first.link.find((l) => l.relation === 'next')!;
      assert.ok(next, 'a next link');
      const second = (await claire.get(new URL(next.url).pathname + new URL(next.url).search)).json() as SearchSet<FhirAuditEvent>;
      assert.equal(second.entry!.length, 2);
      const ids = [...first.entry!, ...second.entry!].map((e) => e.resource.id);
      assert.equal(new Set(ids).size, 4, 'no event twice');
      // All of it happened today (the test clock's day); nothing the day before.
      const today = t.clock.now().toISOString().slice(0, 10);
      const yesterday = new Date(t.clock.now().getTime() - 86_400_000).toISOString().slice(0, 10);
      const sameDay = (await audit(claire, `${byIns}&date=ge${today}&date=le${today}`)).json() as SearchSet<FhirAuditEvent>;
      assert.ok(sameDay.entry!.every((e) => e.resource.recorded.startsWith(today)));
      const before = (await audit(claire, `${byIns}&date=le${yesterday}`)).json() as SearchSet<FhirAuditEvent>;
      assert.equal(before.entry, undefined);
      assert.equal((await audit(claire, `${byIns}&date=2026-13-40`)).statusCode, 400);
      assert.equal((await audit(claire, `${byIns}&entity=x`)).statusCode, 400);
    });

    it('is refused to a professional who is not the médecin traitant, with a 403 traced', async () => {
      const res = await audit(thomas, byIns);
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(res.json().issue[0].code, 'forbidden');
      assert.match(res.json().issue[0].diagnostics, /médecin traitant/);
      assert.ok((await history()).some((e) => e.actorId === THOMAS_MOREAU && e.action === 'read-list' && !e.allowed && e.rule === 'history-treating-doctor-only'));
    });
  });

  describe('Consent: the access settings', () => {
    it('shows the médecin traitant the patient’s block, and the authorization given', async () => {
      const blocked = await patient.post(`/api/records/${recordId}/sharing/blocks`, { rpps: JULIEN_LEFEBVRE });
      assert.equal(blocked.statusCode, 201, blocked.body);
      const res = await claire.get(`/fhir/Consent?${byIns}`);
      assert.equal(res.statusCode, 200, res.body);
      const consents = ((res.json() as SearchSet<FhirConsent>).entry ?? []).map((e) => e.resource);
      const block = consents.find((c) => c.provision.actor?.[0]?.reference.identifier.value === `8${JULIEN_LEFEBVRE}` && c.provision.type === 'deny');
      assert.ok(block, 'the block is a deny provision for Julien');
      assert.equal(block.status, 'active');
      assert.equal(block.scope.coding[0]!.code, 'patient-privacy');
      assert.equal(block.patient.reference, `Patient/${recordId}`);
      assert.equal(block.policyRule.coding[0]!.code, 'OPTOUT');
      assert.ok(block.category[0]!.coding.some((c) => c.code === 'blocage'));
      assert.equal(block.provision.action[0]!.coding[0]!.code, 'access');
      assert.match(block.provision.actor![0]!.reference.display, /LEFEBVRE/i);
      const authorized = consents.find((c) => c.provision.actor?.[0]?.reference.identifier.value === `8${THOMAS_MOREAU}`);
      assert.deepEqual([authorized?.status, authorized?.provision.type, authorized?.policyRule.coding[0]?.code], ['active', 'permit', 'OPTIN']);
      // The emergency switches Dominique chose at her first login: both allowed.
      const emergency = consents.filter((c) => c.category[0]!.coding.some((k) => k.code === 'bris-de-glace' || k.code === 'samu'));
      assert.deepEqual(emergency.map((c) => c.provision.type), ['permit', 'permit']);
    });

    it('is refused to another professional, traced', async () => {
      const res = await thomas.get(`/fhir/Consent?${byIns}`);
      assert.equal(res.statusCode, 403, res.body);
      assert.ok((await history()).some((e) => e.actorId === THOMAS_MOREAU && !e.allowed && e.personal?.details?.content === 'sharing'));
    });
  });

  describe('ITI-78 after a block, and on a closed DMP', () => {
    it('tells a professional the patient blocked only that, traced for the patient', async () => {
      const res = await lookup(julien, `${TEST_NIR}|${DOMINIQUE.nir}`);
      assert.equal(res.statusCode, 200, res.body);
      const [found] = patients(res);
      assert.equal(found!.name, undefined);
      const access = ext(found!, ACCESS)!.extension!;
      assert.deepEqual([access.find((e) => e.url === 'lecture')?.valueBoolean, access.find((e) => e.url === 'regle')?.valueCode], [false, 'blocked-professional']);
      assert.match(access.find((e) => e.url === 'explication')?.valueString ?? '', /bloqu/);
      const refused = (await history()).filter((e) => e.actorId === JULIEN_LEFEBVRE && !e.allowed && e.rule === 'blocked-professional');
      assert.ok(refused.some((e) => e.action === 'read-list' && e.personal?.details?.content === 'patient'));
    });

    it('shows a closed DMP as closed (active false, dmp-fermeture with its date)', async () => {
      const closed = await patient.post(`/api/records/${recordId}/closure`, { confirmed: true });
      assert.equal(closed.statusCode, 200, closed.body);
      const [found] = patients(await lookup(claire, `${TEST_NIR}|${DOMINIQUE.nir}`));
      assert.equal(found!.active, false);
      assert.equal(found!.name, undefined, 'nobody reads a closed DMP, its titulaire\'s name included');
      assert.deepEqual(ext(found!, CLOSURE)?.extension, [{ url: 'dateFermeture', valueDate: t.clock.now().toISOString().slice(0, 10) }]);
      const access = ext(found!, ACCESS)!.extension!;
      assert.deepEqual([access.find((e) => e.url === 'lecture')?.valueBoolean, access.find((e) => e.url === 'regle')?.valueCode], [false, 'record-closed']);
      // On a closed DMP nobody reads the history, the médecin traitant included.
      assert.equal((await audit(claire, byIns)).statusCode, 403);
    });
  });
});
