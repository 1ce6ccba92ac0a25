import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PDFDocument } from '@cantoo/pdf-lib';
import { renderLetterPdf, type LetterInput } from './letter-pdf';
import { drawableText, embedTextFonts } from '../platform/pdf';
import { pdfText } from '../../test/helpers/pdf-text';

const letter: LetterInput = {
  recipient: { name: 'Hélène Bérénice Çelik', line: '3 allée des Érables', postalCode: '13008', city: 'Marseille' },
  date: new Date('2026-03-12T09:00:00Z'),
  title: 'Votre code pour créer votre dossier médical partagé',
  paragraphs: ['Bonjour Hélène Çelik,', 'Vous pouvez créer votre dossier « Mon DMP » : voici l’essentiel, à lire avant le 1er avril.'],
  highlight: [
    { label: 'Votre code de création', value: 'RMGA DQEP 2KRG' },
    { label: 'À utiliser avant le', value: '12 avril 2026' },
  ],
  closing: ['1. Allez sur le site.\n2. Saisissez le code.\n3. Choisissez un mot de passe.', 'Zoë ≥ 18 ans, Łódź, 東京 😀'],
};

describe('letter PDF', () => {
  it('makes a one-page A4 PDF that reads back', async () => {
    const bytes = await renderLetterPdf(letter);
    assert.equal(Buffer.from(bytes.subarray(0, 5)).toString('latin1'), '%PDF-');
    const doc = await PDFDocument.load(bytes);
    assert.equal(doc.getPageCount(), 1);
    const { width, height } = doc.getPage(0).getSize();
    assert.equal(Math.round(width), 595);
    assert.equal(Math.round(height), 842);
    assert.equal(doc.getTitle(), letter.title);
  });

  it('gives the same bytes for the same letter (a re-delivery prints the same file)', async () => {
    assert.deepEqual(await renderLetterPdf(letter), await renderLetterPdf(letter));
  });

  it('goes on to more pages when the text is long', async () => {
    const long = { ...letter, paragraphs: Array.from({ length: 80 }, (_, i) => `Paragraphe ${i + 1} : ${'texte '.repeat(30)}`) };
    const doc = await PDFDocument.load(await renderLetterPdf(long));
    assert.ok(doc.getPageCount() > 1);
  });

  it('writes a name outside Windows-1252 as it is: «Łukasz Nguyễn-Ørsted»', async () => {
    const name = 'Łukasz Nguyễn-Ørsted';
    const bytes = await renderLetterPdf({ ...letter, recipient: { ...letter.recipient, name }, paragraphs: [`Bonjour ${name},`] });
    const [text] = await pdfText(bytes);
    const lines = text!.split('\n');
    assert.ok(lines.includes(name), `the address block: ${JSON.stringify(lines.slice(0, 4))}`);
    assert.ok(lines.includes(`Bonjour ${name},`), 'the greeting');
    assert.ok(lines.includes('3 allée des Érables') && lines.includes('13008 MARSEILLE'), 'the rest of the address');
    const fonts = (await PDFDocument.load(bytes)).context.enumerateIndirectObjects().map(([, o]) => String(o)).filter((o) => o.includes('/FontFile'));
    assert.ok(fonts.length >= 1 && fonts.every((f) => /\/FontName \/Marianne-/.test(f)), 'the glyphs are Marianne’s, embedded');
  });

  it('keeps every character the font has and replaces what it lacks', async () => {
    const { regular } = await embedTextFonts(await PDFDocument.create());
    assert.equal(drawableText('é è à ç ù « » ’ œ € Ç É', regular), 'é è à ç ù « » ’ œ € Ç É');
    assert.equal(drawableText('Łódź ő 12\u202f€ 東 😀', regular), 'Łódź ő 12\u00a0€ ? ?');
    assert.equal(drawableText('ǹ', regular), 'n', 'a letter the font lacks loses its accent');
  });
});
