import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@cantoo/fontkit';
import type { PDFDocument, PDFFont } from '@cantoo/pdf-lib';
import { plainLetter } from './text';

/**
 * Text on A4 pages with @cantoo/pdf-lib (the maintained fork of pdf-lib), shared by the letters
 * (notify/letter-pdf.ts) and the access history export (history/history-export.ts):
 * millimetres, the fonts, the characters they can draw, and lines cut to a width.
 */

export const mm = (v: number) => (v * 72) / 25.4;
export const A4 = { width: mm(210), height: mm(297) };

export interface TextFonts {
  regular: PDFFont;
  bold: PDFFont;
}

/**
 * Marianne, the State's typeface, which the web app shows too (the DSFR's, shipped by
 * @codegouvfr/react-dsfr): its 598 characters cover French and the Latin letters of other
 * languages (Ł, Ø, ễ…), where the standard PDF fonts stop at Windows-1252 and would strip a name
 * such as «Łukasz Nguyễn-Ørsted» of its accents. The DSFR ships it as WOFF and WOFF2 only;
 * fontkit reads WOFF, and each PDF embeds the subset of the glyphs it uses (a few kilobytes).
 */
const FONT_FILES = { regular: 'Marianne-Regular.woff', bold: 'Marianne-Bold.woff' } as const;
const fontBytes = new Map<keyof TextFonts, Buffer>();

function fontFile(weight: keyof TextFonts): Buffer {
  let bytes = fontBytes.get(weight);
  if (!bytes) {
    const require = createRequire(import.meta.url);
    bytes = readFileSync(require.resolve(`@codegouvfr/react-dsfr/dsfr/fonts/${FONT_FILES[weight]}`));
    fontBytes.set(weight, bytes);
  }
  return bytes;
}

/** Embeds the regular and bold fonts in `doc` (subsets: the same text gives the same bytes). */
export async function embedTextFonts(doc: PDFDocument): Promise<TextFonts> {
  doc.registerFontkit(fontkit);
  return {
    regular: await doc.embedFont(fontFile('regular'), { subset: true }),
    bold: await doc.embedFont(fontFile('bold'), { subset: true }),
  };
}

const TYPOGRAPHIC: Record<string, string> = { '\u202f': '\u00a0', '\u2009': ' ', '\u2010': '-', '\u2011': '-', '\u2212': '-', '\t': ' ' };
const characterSets = new WeakMap<PDFFont, Set<number>>();

/** Whether `font` has a glyph for `ch`. */
function drawableBy(font: PDFFont): (ch: string) => boolean {
  let set = characterSets.get(font);
  if (!set) {
    set = new Set(font.getCharacterSet());
    characterSets.set(font, set);
  }
  const codePoints = set;
  return (ch) => codePoints.has(ch.codePointAt(0)!);
}

/**
 * Text `font` can draw: every character it has; thin spaces and dashes it lacks mapped to
 * plain ones, letters it lacks stripped of their accents (ǹ → n), anything else "?".
 */
export function drawableText(text: string, font: PDFFont): string {
  return replaceMissing(text, drawableBy(font));
}

/** The same, with any test of what is drawable. */
function replaceMissing(text: string, drawable: (ch: string) => boolean): string {
  let out = '';
  for (const ch of text) {
    const mapped = drawable(ch) ? ch : (TYPOGRAPHIC[ch] ?? ch);
    out += drawable(mapped) ? mapped : plainLetter(mapped, drawable);
  }
  return out;
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
