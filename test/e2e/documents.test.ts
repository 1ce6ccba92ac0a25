import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { loadDemoDirectoriesIfEmpty } from '../../src/directory/demo';
import { createBlobStore } from '../../src/documents/blob-store';
import { depositDocument } from '../../src/documents/deposit';
import { applyCareLines } from '../../src/care-history/apply';
import { DOMINIQUE, signedInPatient } from '../helpers/patients';
import { startBrowserSession, waitInPage, type BrowserSession } from './browser';

/**
 * «Mes documents» in Chromium, for the demo patient Dominique PAT-TROIS (signed up and signed
 * in through the API, then the session cookies are given to the browser): add a PDF through
 * the screens, find it in the list, open it, mask it, delete it; write a note; read a CDA
 * report deposited by a professional. Set E2E_SCREENSHOTS=<folder> to keep a PNG of each screen.
 */

/** A small but well-formed PDF: one page saying «Bonjour». */
function smallPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null, // the content stream, below
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

/** The extension id of the PDF viewer built into Chromium. */
const PDF_VIEWER = 'mhjfbmdgcfjbbpaeojofohoefgiehjai';
const PDF_TITLE = 'Compte rendu de kinésithérapie';
const NOTE_TITLE = 'Questions pour mon médecin';

describe('«Mes documents» in Chromium', () => {
  // The tests follow one another like one person's visit: each starts where the previous one ended.
  let s: BrowserSession;
  let page: Page;
  let recordId = '';
  let loginId = '';
  const blobDir = mkdtempSync(join(tmpdir(), 'e2e-blobs-'));
  const shots = process.env.E2E_SCREENSHOTS;

  before(async () => {
    s = await startBrowserSession({ env: { BLOB_STORE: `file:${blobDir}` } });
    await loadDemoDirectoriesIfEmpty(s.t.ctx);
    const patient = await signedInPatient(s.t, DOMINIQUE);
    recordId = patient.recordId;
    loginId = patient.loginId;
    page = await s.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    const sessionCookies = [...patient.client.cookies].filter(([name]) => name === 'dmp_session' || name === 'dmp_csrf');
    assert.equal(sessionCookies.length, 2, 'the API client holds a session and a CSRF token');
    await page.context().addCookies(
      sessionCookies.map(([name, value]) => ({ name, value, domain: '127.0.0.1', path: '/', httpOnly: name === 'dmp_session', sameSite: 'Strict' as const })),
    );
    if (shots) mkdirSync(shots, { recursive: true });
  });
  after(async () => {
    await s.close();
    rmSync(blobDir, { recursive: true, force: true });
  });

  async function arrive(url: RegExp, heading: string | RegExp): Promise<void> {
    await page.waitForURL(url);
    await page.locator('main h1', { hasText: heading }).waitFor();
  }

  async function shot(name: string): Promise<void> {
    if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  }

  async function mainText(): Promise<string> {
    return (await page.textContent('main')) ?? '';
  }

  it('opens «Mes documents» from the home of the record: an empty list', async () => {
    await page.goto(s.baseUrl + '/mon-dmp');
    await page.getByRole('link', { name: /Mes documents/ }).click();
    await arrive(/\/mon-dmp\/documents$/, 'Mes documents');
    await page.getByRole('heading', { name: 'Aucun document' }).waitFor();
    assert.match(await mainText(), /Mon DMP n'a pas encore de document/);
    await shot('1-liste-vide');
  });

  it('adds a PDF through the screens, with the errors next to their fields first', async () => {
    await page.getByRole('link', { name: 'Ajouter un document' }).click();
    await arrive(/\/mon-dmp\/documents\/ajouter$/, 'Ajouter un document');
    await shot('2-ajouter-choix');
    await page.getByRole('link', { name: /Ajouter un fichier/ }).click();
    await arrive(/\/ajouter\/fichier$/, 'Ajouter un fichier');

    // Nothing filled: each missing answer is said next to its field, the focus on the first one.
    await page.getByRole('button', { name: 'Ajouter le fichier' }).click();
    await waitInPage(page, (id) => document.activeElement?.id === id, 'champ-typeCode');
    for (const field of ['champ-typeCode', 'champ-title', 'champ-file']) {
      assert.equal(await page.getAttribute(`#${field}`, 'aria-invalid'), 'true', `${field} is marked wrong`);
    }
    assert.match(await mainText(), /Choisissez le type du document\./);
    assert.match(await mainText(), /Choisissez un fichier\./);
    await shot('3-ajouter-fichier-erreurs');

    await page.getByLabel('Type de document').selectOption({ label: 'CR déposé par le patient' });
    await page.getByLabel('Titre du document').fill(PDF_TITLE);
    await page.getByLabel(/Date des soins/).fill('2025-03-01');
    await page.setInputFiles('#champ-file', { name: 'kine.pdf', mimeType: 'application/pdf', buffer: smallPdf() });
    await page.getByRole('button', { name: 'Ajouter le fichier' }).click();

    await arrive(/\/mon-dmp\/documents$/, 'Mes documents');
    assert.match(await mainText(), new RegExp(`Le document « ${PDF_TITLE} » est ajouté à mon DMP`));
    const row = page.locator('main table tbody tr', { hasText: PDF_TITLE });
    await row.waitFor();
    const cells = (await row.locator('td').allTextContents()).map((c) => c.trim());
    assert.deepEqual(cells, [PDF_TITLE, 'Espace personnel', '01/03/2025', 'Moi']);
  });

  it('writes a note, and finds each document by the words of its title', async () => {
    await page.getByRole('link', { name: 'Ajouter un document' }).click();
    await page.getByRole('link', { name: /Écrire une note/ }).click();
    await arrive(/\/ajouter\/note$/, 'Écrire une note');
    await page.getByLabel('Titre de la note').fill(NOTE_TITLE);
    await page.getByLabel(/^Ma note/).fill('Faut-il continuer les séances ?\nCombien de temps ?');
    await shot('4-ecrire-note');
    await page.getByRole('button', { name: 'Enregistrer la note' }).click();
    await arrive(/\/mon-dmp\/documents$/, 'Mes documents');
    await page.getByRole('heading', { name: '2 documents' }).waitFor();

    // The words of the title, without their accents: only the PDF.
    await page.getByLabel('Mots du titre').fill('kinesitherapie');
    await page.getByRole('button', { name: 'Chercher' }).click();
    await page.waitForURL(/mots=kinesitherapie/);
    await page.getByRole('heading', { name: '1 document' }).waitFor();
    await waitInPage(page, (text) => document.activeElement?.textContent === text, '1 document');
    assert.equal(await page.locator('main table tbody tr').count(), 1);
    await shot('5-liste-recherche');

    // Dates that contradict each other: said next to the field, nothing searched.
    await page.getByLabel('Soins à partir du').fill('2025-06-01');
    await page.getByLabel("Soins jusqu'au").fill('2025-01-01');
    await page.getByRole('button', { name: 'Chercher' }).click();
    assert.equal(await page.getAttribute('#filtre-au', 'aria-invalid'), 'true');
    assert.match(await mainText(), /Cette date est avant la date « Du »/);

    await page.getByRole('button', { name: 'Tout afficher' }).click();
    await page.getByRole('heading', { name: '2 documents' }).waitFor();

    // The note is shown as text.
    await page.getByRole('link', { name: NOTE_TITLE }).click();
    await arrive(/\/mon-dmp\/documents\/[0-9a-f-]{36}$/, NOTE_TITLE);
    assert.match((await page.locator('main pre').textContent()) ?? '', /Faut-il continuer les séances \?\nCombien de temps \?/);
    await page.getByRole('link', { name: 'Retour à mes documents' }).click();
    await arrive(/\/mon-dmp\/documents$/, 'Mes documents');
  });

  it('opens the PDF: its details, then the file in a frame', async () => {
    const contentResponse = page.waitForResponse((r) => /\/documents\/[0-9a-f-]{36}\/content$/.test(r.url()));
    // Chromium's own PDF viewer takes the bytes over (it is an extension of the browser).
    const viewerOpened = page.waitForResponse((r) => r.url().startsWith(`chrome-extension://${PDF_VIEWER}/`));
    await page.getByRole('link', { name: PDF_TITLE }).click();
    await arrive(/\/mon-dmp\/documents\/[0-9a-f-]{36}$/, PDF_TITLE);
    assert.equal(await page.title(), `${PDF_TITLE} - Mon DMP`);
    const details = (await page.locator('main dl').textContent()) ?? '';
    for (const expected of ['CR déposé par le patient', '01/03/2025', 'Moi', 'PDF']) assert.ok(details.includes(expected), `«${expected}» in ${details}`);

    const frame = page.locator('main iframe');
    assert.match((await frame.getAttribute('title')) ?? '', new RegExp(`PDF : ${PDF_TITLE}`));
    const src = await frame.getAttribute('src');
    assert.equal(src, `/api/records/${recordId}/documents/${page.url().split('/').pop()}/content`);
    const response = await contentResponse;
    assert.equal(response.status(), 200);
    assert.equal(response.headers()['content-type'], 'application/pdf');
    const bytes = await page.request.get(s.baseUrl + src);
    assert.equal(bytes.headers()['content-type'], 'application/pdf');
    assert.deepEqual(await bytes.body(), smallPdf());
    assert.equal((await viewerOpened).status(), 200, 'the PDF viewer shows the document in the frame');
    await page.frameLocator('main iframe').locator('body').waitFor({ state: 'attached' });
    await shot('6-document-pdf');

    // «Télécharger» saves the same bytes.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger' }).click()]);
    const saved = await download.path();
    assert.ok(saved);
    assert.deepEqual(readFileSync(saved), smallPdf());
  });

  it('masks the document from professionals, and the list says so', async () => {
    await page.getByRole('button', { name: "Interdire l'accès aux professionnels" }).click();
    await page.getByText("C'est fait. Les professionnels de santé ne voient plus ce document.").waitFor();
    await page.getByRole('button', { name: /Autoriser à nouveau/ }).waitFor();
    assert.ok(await page.locator('main dl .fr-badge', { hasText: 'Masqué' }).isVisible());
    await shot('7-document-masque');

    await page.getByRole('link', { name: 'Retour à mes documents' }).click();
    await arrive(/\/mon-dmp\/documents$/, 'Mes documents');
    const row = page.locator('main table tbody tr', { hasText: PDF_TITLE });
    await row.locator('.fr-badge', { hasText: 'Masqué' }).waitFor();
    assert.equal(await page.locator('main table tbody tr', { hasText: NOTE_TITLE }).locator('.fr-badge').count(), 0);
    await shot('8-liste-masque');
  });

  it('deletes it after a confirmation: it leaves the list', async () => {
    await page.getByRole('link', { name: PDF_TITLE }).click();
    await arrive(/\/mon-dmp\/documents\/[0-9a-f-]{36}$/, PDF_TITLE);
    await page.getByRole('button', { name: 'Supprimer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Supprimer ce document ?' });
    await dialog.waitFor();
    await shot('9-confirmer-suppression');
    await dialog.getByRole('button', { name: 'Oui, je supprime' }).click();

    await arrive(/\/mon-dmp\/documents$/, 'Mes documents');
    assert.match(await mainText(), new RegExp(`Le document « ${PDF_TITLE} » est supprimé`));
    await page.getByRole('heading', { name: '1 document' }).waitFor();
    assert.equal(await page.getByRole('link', { name: PDF_TITLE }).count(), 0);
    assert.equal(await page.getByRole('link', { name: NOTE_TITLE }).count(), 1);
    await shot('10-liste-apres-suppression');
  });

  it('reads a professional’s CDA report as HTML, which the patient can mask but not delete', async () => {
    const cda = readFileSync(new URL('../../demo/cda/BIO-CR-BIO_2024.01_TSH_1.xml', import.meta.url));
    await depositDocument(
      s.t.ctx,
      createBlobStore(s.t.ctx.config),
      { kind: 'professional', id: '10001234565', name: 'Dr Claire MARTIN' },
      { recordId, insMatricule: DOMINIQUE.nir },
      { bytes: cda },
    );
    await page.reload();
    await page.getByRole('heading', { name: '2 documents' }).waitFor();
    const row = page.locator('main table tbody tr', { hasText: 'Dr Claire MARTIN' });
    assert.match((await row.textContent()) ?? '', /Biologie/);
    await row.getByRole('link').click();
    await page.waitForURL(/\/mon-dmp\/documents\/[0-9a-f-]{36}$/);
    await page.locator('main .dmp-document-reader').waitFor();
    // One h1 on the page: the report's own headings come under «Le contenu du document».
    assert.equal(await page.locator('main h1:visible').count(), 1);
    assert.equal(await page.locator('main .dmp-document-reader :is(h1, h2)').count(), 0);
    assert.ok((await page.locator('main .dmp-document-reader h3').count()) >= 1);
    assert.equal(await page.getByRole('button', { name: 'Supprimer' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: "Interdire l'accès aux professionnels" }).count(), 1);
    await shot('11-document-cda');
  });

  it('shows 20 documents a page, with the DSFR pagination', async () => {
    const store = createBlobStore(s.t.ctx.config);
    for (let n = 1; n <= 19; n++) {
      await depositDocument(s.t.ctx, store, { kind: 'patient', id: loginId, name: 'Vous' }, { recordId, insMatricule: DOMINIQUE.nir }, {
        bytes: Buffer.from(`Note ${n}`),
        typeCode: 'EXPPAT_2',
        title: `Note numéro ${n}`,
        careDate: `2024-01-${String(n).padStart(2, '0')}`,
      });
    }
    await page.goto(s.baseUrl + '/mon-dmp/documents');
    await page.getByRole('heading', { name: '21 documents' }).waitFor();
    assert.equal(await page.locator('main table tbody tr').count(), 20);
    const pagination = page.getByRole('navigation', { name: 'Pagination' });
    await pagination.getByRole('link', { name: 'Page suivante' }).click();
    await page.waitForURL(/\?page=2$/);
    await waitInPage(page, (text) => document.activeElement?.textContent === text, '21 documents');
    const rows = page.locator('main table tbody tr');
    assert.equal(await rows.count(), 1);
    // The oldest care comes last: the 2021 report.
    assert.match((await rows.first().textContent()) ?? '', /Compte rendu d'examens biologiques.*01\/04\/2021/);
    assert.equal(await pagination.locator('[aria-current]').textContent(), '2');
    await shot('12-liste-page-2');

    // Leaving the PDF page before Chromium's PDF viewer has loaded all its own parts aborts them
    // (chrome:// and chrome-extension:// addresses): the browser's business, not the page's.
    const problems = s.problems.filter((p) => !/^request failed: chrome(-extension)?:\/\//.test(p));
    assert.deepEqual(problems, [], 'no console error, no blocked or failed request');
  });

  it('shows the care history the Assurance Maladie feeds, as tables by kind of care', async () => {
    const today = s.t.clock.now().toISOString().slice(0, 10);
    await applyCareLines(s.t.ctx, createBlobStore(s.t.ctx.config), DOMINIQUE.nir, [
      { claimId: 'e2e-1', careDate: today, kind: 'pharmacie', label: 'LEVOTHYROX 75 microgrammes', quantity: 3, professional: 'Pharmacie Thomas MOREAU' },
      { claimId: 'e2e-2', careDate: today, kind: 'consultation', label: 'Consultation de médecine générale', quantity: 1, professional: 'Dr Claire MARTIN' },
    ]);
    await page.goto(s.baseUrl + '/mon-dmp/documents');
    await page.getByRole('heading', { name: '22 documents' }).waitFor();
    await page.getByRole('link', { name: 'Historique des remboursements' }).click();
    await page.waitForURL(/\/mon-dmp\/documents\/[0-9a-f-]{36}$/);
    await page.locator('main .dmp-document-reader').waitFor();
    const reader = ((await page.locator('main .dmp-document-reader').textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(reader, /Médicaments et produits de santé/);
    assert.match(reader, /LEVOTHYROX 75 microgrammes/);
    assert.match(reader, /Consultations et visites/);
    assert.match(await mainText(), /Assurance Maladie/);
    await shot('13-historique-remboursements');
  });

  it('uses the width of the page at 1280 px, and scrolls the care tables inside their frame at 375 px', async () => {
    // Still on the care history. At 1280 px the document takes the width of the page's column.
    const wide = await page.evaluate(() => {
      const reader = document.querySelector<HTMLElement>('main .dmp-document-reader')!;
      const column = reader.parentElement!;
      const style = getComputedStyle(column);
      return {
        reader: reader.getBoundingClientRect().width,
        column: column.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
      };
    });
    assert.ok(wide.reader >= wide.column - 1 && wide.reader > 1000, `the document is ${Math.round(wide.reader)} px wide in a ${Math.round(wide.column)} px column`);

    // At 375 px: no horizontal scroll of the page; a wide table scrolls in its own frame, and
    // no date or word is broken in the middle (each cell's words, and the header's, stay whole).
    await page.setViewportSize({ width: 375, height: 800 });
    await page.reload();
    await page.locator('main .dmp-document-reader table').first().waitFor();
    const narrow = await page.evaluate(() => {
      const broken: string[] = [];
      for (const cell of Array.from(document.querySelectorAll<HTMLElement>('main .dmp-document-reader td, main .dmp-document-reader th, main .dmp-document-reader .cda-header dd'))) {
        // A word broken in the middle shows as one word whose letters sit on two lines.
        for (const word of (cell.textContent ?? '').split(/\s+/).filter((w) => w.length > 0)) {
          const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
            const at = (node.textContent ?? '').indexOf(word);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + word.length);
            const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
            if (tops.size > 1) broken.push(word);
            break;
          }
        }
      }
      const tables = Array.from(document.querySelectorAll<HTMLElement>('main .dmp-document-reader table'));
      return {
        pageScrolls: document.documentElement.scrollWidth > document.documentElement.clientWidth,
        broken,
        tableInsideFrame: tables.every((t) => t.getBoundingClientRect().right <= document.documentElement.clientWidth + 1),
        someTableScrolls: tables.some((t) => t.scrollWidth > t.clientWidth && ['auto', 'scroll'].includes(getComputedStyle(t).overflowX)),
      };
    });
    assert.equal(narrow.pageScrolls, false, 'the page does not scroll sideways');
    assert.deepEqual(narrow.broken, [], 'no word broken in the middle');
    assert.equal(narrow.tableInsideFrame, true, 'each table stays inside the frame');
    assert.equal(narrow.someTableScrolls, true, 'a table too wide for the screen scrolls inside its frame');
    await shot('14-historique-remboursements-375');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
