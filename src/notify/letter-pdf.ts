import { PDFDocument, rgb, type PDFFont, type PDFPage } from '@cantoo/pdf-lib';
import type { PostalAddress } from './outbox';
import { A4, drawableText, embedTextFonts, mm, wrapText, type TextFonts } from '../platform';
import { formatFrenchDate, type Highlight } from './templates';

/**
 * A postal letter as an A4 PDF, ready for a printing service: the address
 * sits where a French window envelope (DL, window on the right) shows it.
 * Set in Marianne (platform/pdf.ts), embedded: names keep their letters
 * whatever their language (Łukasz Nguyễn-Ørsted); a character the font lacks
 * is replaced, never dropped silently into an error. The same inputs give the
 * same bytes.
 */

export interface LetterInput {
  recipient: PostalAddress;
  /** Printed as "Le 12 mars 2026" (Paris time) and used as the document's date. */
  date: Date;
  title: string;
  /** Paragraphs before the highlighted box; a "\n" starts a new line within a paragraph. */
  paragraphs: string[];
  /** Values to copy (a code, an identifier), shown large in a box. */
  highlight?: Highlight[];
  /** Paragraphs after the box (instructions, advice). */
  closing?: string[];
}

const PAGE = A4;
const MARGIN = mm(20);
const TEXT_WIDTH = PAGE.width - 2 * MARGIN;
const BOTTOM = mm(25);
const BLUE = rgb(0, 0, 145 / 255);
const GREY = rgb(0.4, 0.4, 0.4);
const BOX = rgb(0.96, 0.96, 1);
const BODY_SIZE = 11;
const LINE = 15;
export const LETTER_HEADER = 'Mon DMP — Dossier Médical Partagé';

export async function renderLetterPdf(input: LetterInput): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(input.title);
  doc.setAuthor('Mon DMP');
  doc.setCreator('OpenDMP');
  doc.setProducer('OpenDMP');
  doc.setCreationDate(input.date);
  doc.setModificationDate(input.date);
  const fonts = await embedTextFonts(doc);
  const writer = new Writer(doc, fonts);

  writer.addressBlock(input.recipient);
  writer.moveTo(PAGE.height - mm(100));
  writer.lines([`Le ${formatFrenchDate(input.date)}`], fonts.regular, BODY_SIZE);
  writer.gap(LINE);
  writer.paragraph(input.title, fonts.bold, 13, 18);
  writer.gap(6);
  for (const p of input.paragraphs) writer.paragraph(p, fonts.regular, BODY_SIZE, LINE);
  if (input.highlight?.length) writer.highlightBox(input.highlight);
  for (const p of input.closing ?? []) writer.paragraph(p, fonts.regular, BODY_SIZE, LINE);
  writer.footers();
  return doc.save({ useObjectStreams: false });
}

/** Lays text out from top to bottom, opening a new page when one is full. */
class Writer {
  private page!: PDFPage;
  private y = 0;

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: TextFonts,
  ) {
    this.newPage();
  }

  private newPage(): void {
    this.page = this.doc.addPage([PAGE.width, PAGE.height]);
    const top = PAGE.height - mm(18);
    this.page.drawText(drawableText(LETTER_HEADER, this.fonts.bold), { x: MARGIN, y: top, size: 14, font: this.fonts.bold, color: BLUE });
    this.page.drawLine({
      start: { x: MARGIN, y: top - 8 },
      end: { x: PAGE.width - MARGIN, y: top - 8 },
      thickness: 0.8,
      color: BLUE,
    });
    this.y = top - 8 - 2 * LINE;
  }

  moveTo(y: number): void {
    this.y = Math.min(this.y, y);
  }

  gap(points: number): void {
    this.y -= points;
  }

  private room(height: number): void {
    if (this.y - height < BOTTOM) this.newPage();
  }

  /** In the envelope's window: 100 mm from the left edge, 45 mm from the top, last line in capitals. */
  addressBlock(to: PostalAddress): void {
    const lines = [to.name, to.line, `${to.postalCode} ${to.city.toUpperCase()}`];
    let y = PAGE.height - mm(50);
    for (const line of lines) {
      this.page.drawText(drawableText(line, this.fonts.regular), { x: mm(110), y, size: BODY_SIZE, font: this.fonts.regular });
      y -= LINE;
    }
  }

  lines(lines: string[], font: PDFFont, size: number, lineHeight = LINE): void {
    for (const line of lines) {
      this.room(lineHeight);
      this.page.drawText(drawableText(line, font), { x: MARGIN, y: this.y, size, font });
      this.y -= lineHeight;
    }
  }

  paragraph(text: string, font: PDFFont, size: number, lineHeight: number): void {
    const lines = text.split('\n').flatMap((l) => wrapText(drawableText(l, font), font, size, TEXT_WIDTH));
    this.lines(lines, font, size, lineHeight);
    this.y -= lineHeight / 2;
  }

  highlightBox(items: Highlight[]): void {
    const row = 36;
    const padding = 10;
    const height = items.length * row + 2 * padding;
    this.room(height + LINE);
    const top = this.y + BODY_SIZE;
    this.page.drawRectangle({ x: MARGIN, y: top - height, width: TEXT_WIDTH, height, color: BOX, borderColor: BLUE, borderWidth: 0.8 });
    let y = top - padding - 12;
    for (const item of items) {
      this.page.drawText(drawableText(item.label, this.fonts.regular), { x: MARGIN + 12, y: y + 2, size: 9, font: this.fonts.regular, color: GREY });
      this.page.drawText(drawableText(item.value, this.fonts.bold), { x: MARGIN + 12, y: y - 14, size: 15, font: this.fonts.bold });
      y -= row;
    }
    this.y = top - height - LINE - 4;
  }

  /** Page numbers only when there is more than one page. */
  footers(): void {
    const pages = this.doc.getPages();
    pages.forEach((page, i) => {
      const label = pages.length > 1 ? `${LETTER_HEADER} — page ${i + 1} / ${pages.length}` : LETTER_HEADER;
      page.drawText(drawableText(label, this.fonts.regular), { x: MARGIN, y: mm(12), size: 8, font: this.fonts.regular, color: GREY });
    });
  }
}
