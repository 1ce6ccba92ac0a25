import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, type PDFPage } from '@cantoo/pdf-lib';

/**
 * The text of each page of a PDF written by the service, as a reader would copy it: every text
 * show (`<glyph ids> Tj`, one per line drawn) turned back into characters through its font's
 * ToUnicode map, lines joined by "\n". Enough for the fonts @cantoo/pdf-lib embeds (Identity-H,
 * two bytes per glyph); pdf-lib itself does not extract text.
 */
export async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes);
  return doc.getPages().map(pageText);
}

function pageText(page: PDFPage): string {
  const maps = fontMaps(page);
  const lines: string[] = [];
  let font: Map<string, string> | undefined;
  for (const [, name, hex] of contentOf(page).matchAll(/\/([^\s/]+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj/g)) {
    if (name) font = maps.get(name);
    else if (hex !== undefined && font) lines.push((hex.match(/.{4}/g) ?? []).map((id) => font!.get(id.toUpperCase()) ?? '\ufffd').join(''));
  }
  return lines.join('\n');
}

/** The page's content streams, decoded and put together. */
function contentOf(page: PDFPage): string {
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => page.doc.context.lookup(ref)) : [contents];
  return streams
    .filter((s): s is PDFRawStream => s instanceof PDFRawStream)
    .map((s) => Buffer.from(decodePDFRawStream(s).decode()).toString('latin1'))
    .join('\n');
}

/** For each font of the page's resources: glyph id (4 hex digits) → the characters it stands for. */
function fontMaps(page: PDFPage): Map<string, Map<string, string>> {
  const maps = new Map<string, Map<string, string>>();
  const fonts = page.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict);
  for (const [name, ref] of fonts?.entries() ?? []) {
    const font = page.doc.context.lookup(ref, PDFDict);
    const toUnicode = font.lookup(PDFName.of('ToUnicode'));
    if (!(toUnicode instanceof PDFRawStream)) continue;
    const cmap = Buffer.from(decodePDFRawStream(toUnicode).decode()).toString('latin1').split('beginbfchar')[1] ?? '';
    const map = new Map<string, string>();
    for (const [, id, utf16] of cmap.matchAll(/<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]+)>/g)) {
      map.set(id!.toUpperCase(), Buffer.from(utf16!, 'hex').swap16().toString('utf16le'));
    }
    maps.set(name.asString().slice(1), map);
  }
  return maps;
}
