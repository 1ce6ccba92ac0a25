import type { PDFFont } from 'pdf-lib';
import { plainLetter } from './text';

/**
 * Text on A4 pages with pdf-lib's standard fonts, shared by the letters (letter-pdf.ts) and
 * the access history export (audit/history-export.ts): millimetres, the characters the
 * fonts can draw, and lines cut to a width.
 */

export const mm = (v: number) => (v * 72) / 25.4;
export const A4 = { width: mm(210), height: mm(297) };

const TYPOGRAPHIC: Record<string, string> = { '\u202f': '\u00a0', '\u2009': ' ', '\u2010': '-', '\u2011': '-', '\u2212': '-', '\t': ' ' };

/**
 * Text the standard fonts can draw: thin spaces and dashes mapped, letters
 * outside WinAnsi stripped of their accents (ő → o), anything else "?".
 */
export function winAnsiText(text: string): string {
  let out = '';
  for (const ch of text) {
    const mapped = TYPOGRAPHIC[ch] ?? ch;
    out += isWinAnsi(mapped) ? mapped : plainLetter(mapped, isWinAnsi);
  }
  return out;
}

// Printable Latin-1 plus what Windows-1252 adds: exactly what pdf-lib's standard fonts encode.
const CP1252_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
function isWinAnsi(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || CP1252_EXTRA.has(ch);
}

/** Lines of at most `width` points, cut between words (inside a word only when it is wider). */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const fits = (s: string) => font.widthOfTextAtSize(s, size) <= width;
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) out.push(line);
    line = word;
    while (!fits(line)) {
      // A word wider than the page (a long address): cut it where it overflows.
      let cut = line.length - 1;
      while (cut > 1 && !fits(line.slice(0, cut))) cut--;
      out.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  out.push(line);
  return out;
}
