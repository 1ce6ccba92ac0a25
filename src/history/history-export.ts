import { PDFDocument, rgb, type PDFFont, type PDFPage } from '@cantoo/pdf-lib';
import { LETTER_HEADER } from '../notify';
import { A4, drawableText, embedTextFonts, mm, wrapText } from '../platform';
import { parisDateTime, parisNumericDateTime, type HistoryEntry } from './history';

/**
 * The whole access history as a file the patient keeps (DOMAIN.md §6: «The patient can download
 * the whole history»): a CSV for a spreadsheet, a PDF to read or print. Pure: entries in, bytes out.
 */

// ---- CSV --------------------------------------------------------------------------------------

export const CSV_HEADERS = [
  'N°',
  'Date et heure (heure de Paris)',
  'Qui',
  'Profession',
  'Lieu d’exercice',
  'Type d’acteur',
  'Action',
  'Document',
  'Résultat',
  'Motif',
  'Description',
] as const;

/**
 * One cell: quoted when it holds a separator, a quote or a line break; a cell that a
 * spreadsheet would run as a formula (= + - @ at the start) is prefixed with a quote mark,
 * since names and titles come from outside.
 */
export function csvCell(value: string | number | null): string {
  let s = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[;"\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** UTF-8 with a byte order mark (so that a spreadsheet reads the accents), «;» between cells, CRLF. */
export function historyCsv(entries: readonly HistoryEntry[]): Buffer {
  const rows = [
    CSV_HEADERS.map(csvCell),
    ...entries.map((e) =>
      [
        e.seq,
        parisNumericDateTime(new Date(e.occurredAt)),
        e.actorName,
        e.profession,
        e.workplace,
        e.whoLabel,
        e.whatLabel,
        e.document,
        e.allowed ? 'Autorisé' : 'Refusé',
        e.reason,
        e.sentence,
      ].map(csvCell),
    ),
  ];
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rows.map((r) => r.join(';')).join('\r\n') + '\r\n', 'utf8')]);
}

// ---- PDF --------------------------------------------------------------------------------------

export interface HistoryPdfInput {
  entries: readonly HistoryEntry[];
  generatedAt: Date;
  /** «Le DMP de …» is not written: the file says only what the reader downloaded. */
  verified: boolean | null;
}

const PAGE = A4;
const MARGIN = mm(18);
const BOTTOM = mm(20);
const DATE_COLUMN = mm(38);
const GAP = mm(4);
const TEXT_X = MARGIN + DATE_COLUMN + GAP;
const TEXT_WIDTH = PAGE.width - MARGIN - TEXT_X;
const SIZE = 9.5;
const LINE = 12.5;
const BLUE = rgb(0, 0, 145 / 255);
const RED = rgb(206 / 255, 5 / 255, 0);
const GREY = rgb(0.4, 0.4, 0.4);
const RULE = rgb(0.85, 0.85, 0.85);
const STRIPE = rgb(0.965, 0.965, 0.985);
const HEADER = LETTER_HEADER;

/** A two-column table, «Date» and «Ce qui s'est passé», refusals marked in red, pages numbered. */
export async function historyPdf(input: HistoryPdfInput): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const title = 'Historique des accès à mon DMP';
  doc.setTitle(title);
  doc.setAuthor('Mon DMP');
  doc.setCreator('OpenDMP');
  doc.setProducer('OpenDMP');
  doc.setCreationDate(input.generatedAt);
  doc.setModificationDate(input.generatedAt);
  const { regular, bold } = await embedTextFonts(doc);

  let page!: PDFPage;
  let y = 0;
  const newPage = (withColumns: boolean) => {
    page = doc.addPage([PAGE.width, PAGE.height]);
    const top = PAGE.height - mm(16);
    page.drawText(drawableText(HEADER, bold), { x: MARGIN, y: top, size: 12, font: bold, color: BLUE });
    page.drawLine({ start: { x: MARGIN, y: top - 6 }, end: { x: PAGE.width - MARGIN, y: top - 6 }, thickness: 0.8, color: BLUE });
    y = top - 6 - 2 * LINE;
    if (withColumns) columnHeads();
  };
  const columnHeads = () => {
    page.drawText('Date', { x: MARGIN, y, size: SIZE, font: bold });
    page.drawText(drawableText('Ce qui s’est passé', bold), { x: TEXT_X, y, size: SIZE, font: bold });
    y -= 5;
    page.drawLine({ start: { x: MARGIN, y }, end: { x: PAGE.width - MARGIN, y }, thickness: 0.6, color: GREY });
    y -= LINE;
  };
  const paragraph = (text: string, font: PDFFont, size: number, lineHeight: number, color = rgb(0, 0, 0)) => {
    for (const line of wrapText(drawableText(text, font), font, size, PAGE.width - 2 * MARGIN)) {
      page.drawText(line, { x: MARGIN, y, size, font, color });
      y -= lineHeight;
    }
  };

  newPage(false);
  paragraph(title, bold, 15, 20);
  y -= 4;
  paragraph(`Téléchargé le ${parisDateTime(input.generatedAt)} (heure de Paris).`, regular, 10, 14);
  paragraph(
    input.entries.length === 0
      ? 'Aucun événement.'
      : `${input.entries.length} événement${input.entries.length > 1 ? 's' : ''}, du plus ancien au plus récent. Les tentatives refusées sont marquées « Refusé ».`,
    regular,
    10,
    14,
  );
  if (input.verified !== null) {
    paragraph(
      input.verified
        ? 'Historique vérifié : intact. Aucun événement n’a été modifié ni effacé.'
        : 'Attention : la vérification de l’historique a trouvé une anomalie.',
      bold,
      10,
      14,
      input.verified ? rgb(24 / 255, 117 / 255, 60 / 255) : RED,
    );
  }
  y -= LINE;
  columnHeads();

  input.entries.forEach((entry, i) => {
    const dateLines = [parisNumericDateTime(new Date(entry.occurredAt))];
    if (!entry.allowed) dateLines.push('Refusé');
    // «10 h 42», «12 mars 2026» never cut across two lines.
    const sentence = entry.sentence.replace(/(\d+) h (\d{2})/g, '$1\u00a0h\u00a0$2').replace(/(\d+|1er) (\p{L}+) (\d{4})/gu, '$1\u00a0$2\u00a0$3');
    const textLines = wrapText(drawableText(sentence, regular), regular, SIZE, TEXT_WIDTH);
    const height = Math.max(dateLines.length, textLines.length) * LINE + 4;
    if (y - height < BOTTOM) newPage(true);
    if (i % 2 === 1) page.drawRectangle({ x: MARGIN - 2, y: y - height + LINE - 1, width: PAGE.width - 2 * MARGIN + 4, height, color: STRIPE });
    page.drawText(dateLines[0]!, { x: MARGIN, y, size: SIZE, font: regular });
    if (dateLines[1]) page.drawText(drawableText(dateLines[1], bold), { x: MARGIN, y: y - LINE, size: SIZE, font: bold, color: RED });
    textLines.forEach((line, n) => page.drawText(line, { x: TEXT_X, y: y - n * LINE, size: SIZE, font: regular }));
    y -= height;
    page.drawLine({ start: { x: MARGIN, y: y + LINE - 2 }, end: { x: PAGE.width - MARGIN, y: y + LINE - 2 }, thickness: 0.3, color: RULE });
  });

  const pages = doc.getPages();
  pages.forEach((p, i) => {
    p.drawText(drawableText(`${HEADER} — historique des accès — page ${i + 1} / ${pages.length}`, regular), {
      x: MARGIN,
      y: mm(10),
      size: 8,
      font: regular,
      color: GREY,
    });
  });
  return doc.save({ useObjectStreams: false });
}
