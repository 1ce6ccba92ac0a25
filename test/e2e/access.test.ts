import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { loadDemoDirectoriesIfEmpty } from '../../src/directory/demo';
import { freeLocalUrl } from '../helpers/free-port';
import { DOMINIQUE, signedInPatient } from '../helpers/patients';
import { CLAIRE_MARTIN, professionalClient } from '../helpers/professionals';
import { startBrowserSession, type BrowserSession } from './browser';

/**
 * Who may see what, in Chromium (DOMAIN.md §4), as the issue tells it: Dr Julien LEFEBVRE, a GP
 * who is not Dominique's médecin traitant, signs in with Pro Santé Connect (the development
 * provider of the same server), finds her by INS, is refused, declares her consent, reads and
 * adds documents; Dominique blocks him on «Gestion du DMP»; he is refused again, because of the
 * block; Dr Hélène BERNARD, SAMU regulator, reads in emergency mode. Set E2E_SCREENSHOTS=<folder>
 * to keep a PNG of each screen.
 */

const CDA = readFileSync(new URL('../../demo/cda/BIO-CR-BIO_2024.01_TSH_1.xml', import.meta.url));
const CDA_TITLE = "Compte rendu d'examens biologiques";
const JULIEN_TITLE = 'Consultation du 15 janvier';
const PATIENT_NAME = 'Dominique Marie-Louise PAT-TROIS';

/** A small but well-formed PDF: one page saying «Bonjour». */
function smallPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const stream = 'BT /F1 24 Tf 72 72 Td (Bonjour) Tj ET';
  objects[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

function multipart(fields: Record<string, string>, file: { name: string; type: string; bytes: Buffer }) {
  const boundary = '----opendmp' + Math.random().toString(16).slice(2);
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  const head = Buffer.from(
    parts.join('') + `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
  );
  return { payload: Buffer.concat([head, file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('who may see what, in Chromium: consent, block, emergency', () => {
  // The tests follow one another like the story of the issue: each starts where the previous one ended.
  let s: BrowserSession;
  let julien: Page;
  let patient: Page;
  let recordId = '';
  const blobDir = mkdtempSync(join(tmpdir(), 'e2e-access-blobs-'));
  const shots = process.env.E2E_SCREENSHOTS;

  before(async () => {
    const { url } = await freeLocalUrl();
    s = await startBrowserSession({ env: { PUBLIC_URL: url, BLOB_STORE: `file:${blobDir}` } });
    await loadDemoDirectoriesIfEmpty(s.t.ctx);
    const dominique = await signedInPatient(s.t, DOMINIQUE);
    recordId = dominique.recordId;

    // Her médecin traitant has already put a CDA report in her record, through the API.
    const claire = await professionalClient(s.t, CLAIRE_MARTIN);
    const body = multipart({}, { name: 'tsh.xml', type: 'text/xml', bytes: CDA });
    const deposited = await claire.request('POST', `/api/pro/records/${recordId}/documents`, body.payload, { headers: body.headers });
    assert.equal(deposited.statusCode, 201, deposited.body);

    julien = await s.newPage();
    patient = await s.newPage();
    for (const page of [julien, patient]) await page.setViewportSize({ width: 1280, height: 900 });
    const cookies = [...dominique.client.cookies].filter(([name]) => name === 'dmp_session' || name === 'dmp_csrf');
    assert.equal(cookies.length, 2, 'the API client holds a session and a CSRF token');
    await patient.context().addCookies(
      cookies.map(([name, value]) => ({ name, value, domain: '127.0.0.1', path: '/', httpOnly: name === 'dmp_session', sameSite: 'Strict' as const })),
    );
    if (shots) mkdirSync(shots, { recursive: true });
  });
  after(async () => {
    await s.close();
    rmSync(blobDir, { recursive: true, force: true });
  });

  async function shot(page: Page, name: string): Promise<void> {
    if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  }

  async function mainText(page: Page): Promise<string> {
    return (await page.textContent('main')) ?? '';
  }

  async function signInWithProSanteConnect(page: Page, who: RegExp): Promise<void> {
    await page.goto(s.baseUrl + '/pro');
    await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
    await page.waitForURL(/\/dev\/oidc\/interaction\//);
    await page.getByRole('button', { name: who }).click();
    await page.waitForURL(/\/pro\/espace$/);
  }

  const patientPage = () => new RegExp(`/pro/patients/${recordId}$`);

  /** «Trouver un patient» in the professional space, by INS and identity, then her record. */
  async function findDominique(page: Page): Promise<void> {
    await page.getByLabel('Matricule INS').fill('2 79 03 51 215 189 89');
    await page.getByLabel('Nom de naissance').fill('PAT-TROIS');
    await page.getByLabel('Premier prénom').fill('Dominique');
    await page.getByLabel('Date de naissance').fill('1979-03-28');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('link', { name: `Ouvrir le DMP de ${PATIENT_NAME}` }).click();
    await page.waitForURL(patientPage());
  }

  it('Dr Julien LEFEBVRE signs in, finds Dominique by INS and is refused, with the policy’s sentence', async () => {
    await signInWithProSanteConnect(julien, /Dr Julien LEFEBVRE/);
    await julien.locator('main h1', { hasText: 'Dr Julien LEFEBVRE' }).waitFor();
    await findDominique(julien);
    await julien.locator('main h1', { hasText: PATIENT_NAME }).waitFor();
    await julien.getByRole('heading', { name: "Vous n'avez pas encore accès à ce DMP" }).waitFor();
    const text = await mainText(julien);
    assert.match(text, /Femme, née le 28\/03\/1979/);
    // The policy's sentence in his words, not the patient's (#13 point 7).
    assert.match(text, /Vous ne pouvez pas voir la liste des documents de ce patient car le patient ne vous a pas autorisé et vous ne faites pas partie de son équipe de soins\./);
    assert.doesNotMatch(text, /vos documents|vous ne l’avez pas autorisé/);
    assert.equal(await julien.locator('main table').count(), 0, 'no document is shown');
    await shot(julien, 'acces-01-refus');
  });

  it('he declares the consent the patient gives at this consultation, then reads her documents', async () => {
    await julien.getByRole('link', { name: "Le patient est d'accord : je le déclare" }).click();
    await julien.waitForURL(/\/accord$/);
    await julien.locator('main h1', { hasText: "Déclarer l'accord du patient" }).waitFor();

    // Not ticked: said next to the box, nothing sent.
    await julien.getByRole('button', { name: "Déclarer l'accord" }).click();
    await julien.getByText('Cochez la case quand le patient vous a donné son accord.').waitFor();
    await shot(julien, 'acces-02-accord-erreur');
    await julien.getByLabel("Le patient m'a donné son accord pendant cette consultation").check({ force: true });
    await julien.getByRole('button', { name: "Déclarer l'accord" }).click();

    await julien.waitForURL(patientPage());
    await julien.getByText(`L'accord de ${PATIENT_NAME} est enregistré. Vous pouvez lire son DMP.`).waitFor();
    await julien.getByRole('heading', { name: '1 document' }).waitFor();
    assert.match(await mainText(julien), /Le patient vous a autorisé à lire son DMP/);
    assert.match(await mainText(julien), /Le patient voit chaque accès dans l'historique de son DMP\./);
    assert.doesNotMatch(await mainText(julien), /vous l’avez autorisé/);
    const row = julien.locator('main table tbody tr', { hasText: CDA_TITLE });
    const cells = (await row.locator('td').allTextContents()).map((c) => c.trim());
    assert.deepEqual(cells, [CDA_TITLE, 'Biologie', '01/04/2021', 'Claire MARTIN']);
    await shot(julien, 'acces-03-documents');

    await row.getByRole('link', { name: CDA_TITLE }).click();
    await julien.waitForURL(/\/pro\/patients\/[0-9a-f-]{36}\/documents\/[0-9a-f-]{36}$/);
    await julien.locator('main .dmp-document-reader').waitFor();
    assert.equal(await julien.locator('main h1:visible').count(), 1);
    assert.match((await julien.locator('main dl.dmp-meta').textContent()) ?? '', /Claire MARTIN/);
    await shot(julien, 'acces-04-document-cda');

    // After a reload (no description in the navigation state), the page finds the document again.
    await julien.reload();
    await julien.locator('main .dmp-document-reader').waitFor();
    await julien.getByRole('link', { name: 'Retour au dossier du patient' }).first().click();
    await julien.waitForURL(patientPage());
  });

  it('he deposits a PDF that the patient will not see for now', async () => {
    await julien.getByRole('link', { name: 'Déposer un document' }).click();
    await julien.waitForURL(/\/deposer$/);
    await julien.locator('main h1', { hasText: 'Déposer un document' }).waitFor();
    await julien.getByRole('button', { name: 'Déposer le document' }).click();
    await julien.waitForFunction(() => document.activeElement?.id === 'champ-file');
    assert.match(await mainText(julien), /Choisissez un fichier\./);
    assert.match(await mainText(julien), /Choisissez le type du document\./);

    await julien.setInputFiles('#champ-file', { name: 'consultation.pdf', mimeType: 'application/pdf', buffer: smallPdf() });
    await julien.getByLabel('Type de document').selectOption({ label: 'CR ou fiche de consultation ou de visite' });
    await julien.getByLabel('Titre du document').fill(JULIEN_TITLE);
    await julien.getByLabel(/Date des soins/).fill('2026-01-15');
    await julien.getByLabel("Ne pas montrer au patient pour l'instant").check({ force: true });
    await shot(julien, 'acces-05-deposer');
    await julien.getByRole('button', { name: 'Déposer le document' }).click();

    await julien.waitForURL(patientPage());
    await julien.getByText(`Le document « ${JULIEN_TITLE} » est déposé dans le DMP de ${PATIENT_NAME}. Le patient ne le voit pas pour l'instant.`).waitFor();
    await julien.getByRole('heading', { name: '2 documents' }).waitFor();
    const row = julien.locator('main table tbody tr', { hasText: JULIEN_TITLE });
    const cells = (await row.locator('td').allTextContents()).map((c) => c.trim());
    assert.deepEqual(cells, [`${JULIEN_TITLE} Invisible pour le patient`, 'Comptes rendus', '15/01/2026', 'Vous']);

    // The PDF opens in a frame with a title.
    const contentResponse = julien.waitForResponse((r) => /\/documents\/[0-9a-f-]{36}\/content$/.test(r.url()));
    await row.getByRole('link', { name: JULIEN_TITLE }).click();
    const frame = julien.locator('main iframe');
    await frame.waitFor();
    const response = await contentResponse;
    assert.equal(response.status(), 200);
    assert.equal(response.headers()['content-type'], 'application/pdf');
    await response.finished();
    assert.equal(await frame.getAttribute('title'), `Le document PDF : ${JULIEN_TITLE}`);
    assert.match((await frame.getAttribute('src')) ?? '', new RegExp(`^/api/pro/records/${recordId}/documents/[0-9a-f-]{36}/content$`));
    await julien.getByRole('link', { name: 'Retour au dossier du patient' }).first().click();
    await julien.waitForURL(patientPage());
  });

  it('he creates the record of another patient who is present, and sees her credentials once', async () => {
    await julien.getByRole('link', { name: 'Retour à mon espace' }).click();
    await julien.waitForURL(/\/pro\/espace$/);
    await julien.getByRole('link', { name: "Créer le DMP d'un patient" }).click();
    await julien.waitForURL(/\/pro\/creer-dmp$/);
    await julien.locator('main h1', { hasText: "Créer le DMP d'un patient" }).waitFor();

    await julien.getByRole('button', { name: 'Créer le DMP' }).click();
    await julien.waitForFunction(() => document.activeElement?.id === 'champ-nir');
    assert.match(await mainText(julien), /Cochez la case quand le patient a dit oui\./);
    await julien.getByLabel('Numéro de sécurité sociale du patient').fill('2 87 09 44 109 272 72');
    await julien.getByLabel('Numéro de série de la carte Vitale').fill('1115 6137 7450 3792');
    await julien.getByLabel(/Téléphone portable du patient/).fill('06 39 98 00 02');
    await julien.getByLabel("Le patient est d'accord pour créer son DMP").check({ force: true });
    await shot(julien, 'acces-06a-creer-dmp');
    await julien.getByRole('button', { name: 'Créer le DMP' }).click();

    await julien.locator('main h1', { hasText: 'Le DMP est créé' }).waitFor();
    assert.match(await mainText(julien), /C'est fait : le DMP de Élodie Marie ROCHE est créé\./);
    assert.match((await julien.getByTestId('login-id').textContent()) ?? '', /\S{6,}/);
    assert.match((await julien.getByTestId('initial-password').textContent()) ?? '', /\S{8,}/);
    await julien.getByRole('link', { name: 'Ouvrir le DMP de Élodie Marie ROCHE' }).waitFor();
    await shot(julien, 'acces-06b-dmp-cree');
  });

  it('Dominique sees who has access and why on «Gestion du DMP»', async () => {
    await patient.goto(s.baseUrl + '/mon-dmp');
    await patient.getByRole('link', { name: /Gestion du DMP/ }).click();
    await patient.waitForURL(/\/mon-dmp\/gestion$/);
    await patient.locator('main h1', { hasText: 'Gestion du DMP' }).waitFor();
    await patient.getByRole('heading', { name: 'Julien LEFEBVRE' }).waitFor();
    const text = await mainText(patient);
    assert.match(text, /Mon médecin traitant.*Claire MARTIN/s);
    assert.match(text, /Il ne peut pas être bloqué\./);
    assert.match(text, /Avec mon accord, déclaré le 12 mars 2026\./);
    await shot(patient, 'acces-06-gestion');
  });

  it('Dominique sees his reading in her access history, and was told by email of a first access', async () => {
    await patient.goto(s.baseUrl + '/mon-dmp/historique');
    await patient.locator('main h1', { hasText: 'Historique des accès' }).waitFor();
    await patient.getByText(/Julien LEFEBVRE.*a consulté/).first().waitFor();
    const outbox = (await (await patient.request.get(`${s.baseUrl}/dev/outbox?to=dominique.pat-trois@example.org`)).json()) as {
      messages: { kind: string; subject: string | null; text: string }[];
    };
    const notice = outbox.messages.find((m) => m.kind === 'notification' && /nouveau professionnel|première fois/i.test(`${m.subject} ${m.text}`));
    assert.ok(notice, `an email tells her a new professional opened her record: ${outbox.messages.map((m) => m.subject).join(' | ')}`);
    assert.doesNotMatch(notice.text, /TSH|thyr|biolog/i, 'no medical content in the email');
    // Back where the next step starts.
    await patient.goto(s.baseUrl + '/mon-dmp/gestion');
    await patient.getByRole('heading', { name: 'Julien LEFEBVRE' }).waitFor();
  });

  it('she blocks him after a confirmation; her médecin traitant cannot be blocked', async () => {
    await patient.getByRole('link', { name: /Bloquer un professionnel/ }).click();
    await patient.waitForURL(/\/mon-dmp\/gestion\/bloquer$/);
    await patient.getByText("Je n'ai bloqué aucun professionnel.").waitFor();

    await patient.getByLabel('Nom du professionnel').fill('Martin');
    await patient.getByRole('button', { name: 'Chercher' }).click();
    const claire = patient.locator('main li', { has: patient.getByRole('heading', { name: 'Claire MARTIN' }) });
    await claire.getByText("C'est mon médecin traitant : il ne peut pas être bloqué.").waitFor();
    assert.equal(await claire.getByRole('button').count(), 0);

    await patient.getByLabel('Nom du professionnel').fill('lefebvre');
    await patient.getByRole('button', { name: 'Chercher' }).click();
    await patient.getByRole('button', { name: 'Bloquer Julien LEFEBVRE' }).click();
    const dialog = patient.getByRole('dialog', { name: 'Bloquer ce professionnel ?' });
    await dialog.waitFor();
    assert.match((await dialog.textContent()) ?? '', /Julien LEFEBVRE ne pourra plus lire mon DMP/);
    await shot(patient, 'acces-07-bloquer-confirmation');
    await dialog.getByRole('button', { name: 'Oui, je le bloque' }).click();

    await patient.getByText("C'est fait. Julien LEFEBVRE est bloqué : il ne peut plus lire mon DMP.").waitFor();
    await patient.getByRole('button', { name: 'Débloquer Julien LEFEBVRE' }).waitFor();
    await patient.locator('main li', { hasText: 'Julien LEFEBVRE' }).getByText('Déjà bloqué').waitFor();
    await shot(patient, 'acces-08-bloque');
  });

  it('she sees the three emergency switches, and lets masked documents be read in an emergency', async () => {
    await patient.getByRole('link', { name: 'Retour à la gestion du DMP' }).first().click();
    await patient.getByRole('link', { name: /Accès en urgence/ }).click();
    await patient.waitForURL(/\/mon-dmp\/gestion\/urgence$/);
    const breakGlass = patient.getByRole('checkbox', { name: /bris de glace/ });
    const samu = patient.getByRole('checkbox', { name: /médecin du SAMU/ });
    const masked = patient.getByRole('checkbox', { name: /documents que j'ai masqués/ });
    await breakGlass.waitFor();
    assert.equal(await breakGlass.isChecked(), true, 'she said yes at her first login');
    assert.equal(await samu.isChecked(), true);
    assert.equal(await masked.isChecked(), false);
    await masked.check({ force: true });
    await patient.getByRole('button', { name: 'Enregistrer mes choix' }).click();
    await patient.getByText("C'est fait. Mes choix sont enregistrés.").waitFor();
    await shot(patient, 'acces-09-urgence');
    const sharing = await patient.evaluate(async (id) => (await fetch(`/api/records/${id}/sharing`)).json(), recordId);
    assert.deepEqual(sharing.emergency, { breakGlass: true, samu: true, maskedInEmergency: true });
  });

  it('Dr LEFEBVRE opens her record again: refused, because of the block, with nothing left to do', async () => {
    await julien.goto(`${s.baseUrl}/pro/patients/${recordId}`);
    await julien.getByRole('heading', { name: 'Ce patient a bloqué votre accès' }).waitFor();
    assert.match(await mainText(julien), /Vous ne pouvez pas voir la liste des documents de ce patient car le patient vous a bloqué\./);
    assert.doesNotMatch(await mainText(julien), /vous l’avez bloqué/);
    assert.equal(await julien.getByRole('link', { name: "Le patient est d'accord : je le déclare" }).count(), 0);
    assert.equal(await julien.getByRole('link', { name: 'Accès en urgence' }).count(), 0);
    assert.equal(await julien.locator('main table').count(), 0);
    await shot(julien, 'acces-10-bloque');
  });

  it('Dr Hélène BERNARD, SAMU regulator, opens an emergency access and reads', async () => {
    const helene = await s.newPage();
    await helene.setViewportSize({ width: 1280, height: 900 });
    await signInWithProSanteConnect(helene, /Dr Hélène BERNARD/);
    await helene.locator('main h1', { hasText: 'Dr Hélène BERNARD' }).waitFor();
    assert.match(await mainText(helene), /médecin régulateur du SAMU/);
    await findDominique(helene);
    await helene.getByRole('heading', { name: "Vous n'avez pas encore accès à ce DMP" }).waitFor();
    await helene.getByRole('link', { name: /Accès en urgence/ }).click();
    await helene.waitForURL(/\/urgence$/);
    await helene.getByRole('heading', { name: 'Le patient sera prévenu' }).waitFor();

    // Nothing chosen: both errors next to their fields.
    await helene.getByRole('button', { name: "Ouvrir l'accès en urgence" }).click();
    await helene.getByText("Choisissez le type d'accès en urgence.").waitFor();
    assert.match(await mainText(helene), /Dites en quelques mots pourquoi c'est urgent\./);
    await helene.getByLabel('Régulation SAMU').check({ force: true });
    await helene.getByLabel("Motif de l'urgence").fill('Appel au 15 : malaise avec perte de connaissance');
    await shot(helene, 'acces-11-urgence-samu');
    await helene.getByRole('button', { name: "Ouvrir l'accès en urgence" }).click();

    await helene.waitForURL(patientPage());
    await helene.getByText("L'accès en urgence est ouvert pour 24 heures. Le patient est prévenu.").waitFor();
    await helene.getByRole('heading', { name: 'Accès en urgence (régulation SAMU)' }).waitFor();
    assert.match(await mainText(helene), /médecin régulateur du SAMU/);
    await helene.getByRole('heading', { name: '2 documents' }).waitFor();
    await helene.locator('main table tbody tr', { hasText: CDA_TITLE }).waitFor();
    await shot(helene, 'acces-12-lecture-urgence');
  });

  it('Dominique unblocks him: his old consent does not come back; once she agrees again she can withdraw it, after a confirmation', async () => {
    // While he is blocked, «Gestion du DMP» does not count him among those who have access.
    await patient.goto(s.baseUrl + '/mon-dmp/gestion');
    await patient.getByText("Aucun autre professionnel n'a accès à mon DMP pour le moment.").waitFor();
    await patient.getByRole('link', { name: /Bloquer un professionnel/ }).click();
    await patient.getByRole('button', { name: 'Débloquer Julien LEFEBVRE' }).click();
    await patient.getByText("C'est fait. Julien LEFEBVRE n'est plus bloqué.").waitFor();
    await patient.getByText("Je n'ai bloqué aucun professionnel.").waitFor();

    // The block ended his authorization: unblocking gives nothing back, he must ask again.
    await julien.reload();
    await julien.getByRole('heading', { name: "Vous n'avez pas encore accès à ce DMP" }).waitFor();
    await julien.getByRole('link', { name: "Le patient est d'accord : je le déclare" }).click();
    await julien.getByLabel("Le patient m'a donné son accord pendant cette consultation").check({ force: true });
    await julien.getByRole('button', { name: "Déclarer l'accord" }).click();
    await julien.waitForURL(patientPage());
    await julien.getByText(`L'accord de ${PATIENT_NAME} est enregistré. Vous pouvez lire son DMP.`).waitFor();

    await patient.getByRole('link', { name: 'Retour à la gestion du DMP' }).first().click();
    await patient.getByRole('heading', { name: 'Julien LEFEBVRE' }).waitFor();
    await patient.getByRole('button', { name: "Retirer l'accès de Julien LEFEBVRE" }).click();
    const dialog = patient.getByRole('dialog', { name: "Retirer l'accès ?" });
    await dialog.waitFor();
    assert.match((await dialog.textContent()) ?? '', /Julien LEFEBVRE ne pourra plus lire mon DMP/);
    await shot(patient, 'acces-13-retirer-confirmation');
    await dialog.getByRole('button', { name: "Oui, je retire l'accès" }).click();
    await patient.getByText("C'est fait. Julien LEFEBVRE n'a plus accès à mon DMP.").waitFor();
    await patient.getByText("Aucun autre professionnel n'a accès à mon DMP pour le moment.").waitFor();

    // A refusal screen takes the policy's sentence from the record's own answer (a 200, where
    // the refusal is traced): it no longer asks for the list only to be refused (no 403 logged).
    // Leaving a PDF page before Chromium's own viewer has loaded aborts its chrome:// requests.
    assert.deepEqual(s.problems.filter((p) => /status of 403/.test(p)), [], 'refusal screens ask for nothing they are refused');
    const problems = s.problems.filter((p) => !/^request failed: chrome(-extension)?:\/\//.test(p));
    assert.deepEqual(problems, [], 'no other console error, no blocked or failed request');
  });
});
