/**
 * What a deposited file really is, decided from its bytes alone: a file name or a declared
 * media type is whatever the sender's software (or an attacker) wrote. Only the formats the
 * DMP accepts get through: PDF, CDA R2 (XML), plain text, JPEG and PNG images.
 */
import { DOMParser, type Document } from '@xmldom/xmldom';

export type DocumentFormat = 'pdf' | 'cda' | 'text' | 'jpeg' | 'png';
/** `invalidContent`: an accepted format whose content is refused (a CDA too deep or too large to parse). */
export type DetectedFormat = { format: DocumentFormat; mediaType: string } | { error: string; invalidContent?: true };
/** What detection learnt on the way: a CDA's parsed document, so that nobody parses it again. */
export type Inspected = { detected: DetectedFormat; document?: Document };

const CDA_NAMESPACE = 'urn:hl7-org:v3';
const ACCEPTED = 'Formats acceptés : PDF, document CDA R2 (XML), texte, image JPEG ou PNG.';

const MAGIC: { bytes: number[]; format: DocumentFormat; mediaType: string }[] = [
  { bytes: [...Buffer.from('%PDF-')], format: 'pdf', mediaType: 'application/pdf' },
  { bytes: [0xff, 0xd8, 0xff], format: 'jpeg', mediaType: 'image/jpeg' },
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], format: 'png', mediaType: 'image/png' },
];

/** Signatures of files that must never be mistaken for a document, to say clearly why. */
const REFUSED_MAGIC: { bytes: number[]; what: string }[] = [
  { bytes: [0x4d, 0x5a], what: 'un programme Windows (exécutable)' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'un programme (exécutable)' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'une archive (ZIP, ou document Office)' },
];

const startsWith = (bytes: Buffer, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/**
 * Pure. `bytes` must be the whole file: a CDA is only accepted once fully parsed, and a text
 * only once every byte is known to be valid UTF-8. `declaredName` only words the refusal.
 */
export function detectFormat(bytes: Buffer, declaredName?: string): DetectedFormat {
  return inspectFormat(bytes, declaredName).detected;
}

/** detectFormat, keeping the parsed document of a CDA. Pure; a CDA's parse may take seconds. */
export function inspectFormat(bytes: Buffer, declaredName?: string): Inspected {
  const file = declaredName ? `Le fichier « ${declaredName} »` : 'Le fichier';
  if (bytes.length === 0) return { detected: { error: `${file} est vide.` } };
  const known = MAGIC.find((m) => startsWith(bytes, m.bytes));
  if (known) return { detected: { format: known.format, mediaType: known.mediaType } };
  const refused = REFUSED_MAGIC.find((m) => startsWith(bytes, m.bytes));
  if (refused) return { detected: { error: `${file} est ${refused.what} : il ne peut pas être déposé. ${ACCEPTED}` } };

  const text = decodeUtf8(bytes);
  if (text === null) return { detected: { error: `${file} n’est ni un format reconnu ni un texte valide (UTF-8). ${ACCEPTED}` } };
  if (text.trimStart().startsWith('<')) return inspectMarkup(text, file);
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(text)) {
    return { detected: { error: `${file} contient des caractères de contrôle : ce n’est pas un texte lisible. ${ACCEPTED}` } };
  }
  return { detected: { format: 'text', mediaType: 'text/plain' } };
}

/** Whether the bytes may be markup, whose inspection is a DOM parse (the costly kind). */
export function mayBeMarkup(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    // Spaces and a UTF-8 byte order mark may come first.
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || (i < 3 && [0xef, 0xbb, 0xbf][i] === b)) continue;
    return b === 0x3c; // <
  }
  return false;
}

/** Anything that looks like markup must be a CDA: HTML and other XML could carry active content. */
function inspectMarkup(text: string, file: string): Inspected {
  // A comment body cannot contain `-->`, so each comment matches one way only (no catastrophic backtracking).
  if (/^\s*(?:<!--(?:(?!-->)[\s\S])*-->\s*)*<(?:!doctype\s+html|(?:html|head|body|script|meta|iframe|div)[\s/>])/i.test(text)) {
    return { detected: { error: `${file} est une page HTML : elle ne peut pas être déposée. ${ACCEPTED}` } };
  }
  const parsed = parseXmlSafely(text);
  if ('error' in parsed) return { detected: { error: `${file} : ${parsed.error}`, ...(parsed.tooComplex ? { invalidContent: true as const } : {}) } };
  if (!isCdaRoot(parsed.document)) {
    return {
      detected: {
        error: `${file} est un fichier XML qui n’est pas un document CDA R2 (élément racine ClinicalDocument de l’espace de noms ${CDA_NAMESPACE} attendu).`,
      },
    };
  }
  return { detected: { format: 'cda', mediaType: 'text/xml' }, document: parsed.document };
}

function isCdaRoot(document: Document): boolean {
  const root = document.documentElement;
  return root?.localName === 'ClinicalDocument' && root.namespaceURI === CDA_NAMESPACE;
}

/** Strict UTF-8 (a byte order mark is allowed and dropped); null when any byte sequence is invalid. */
export function decodeUtf8(bytes: Buffer | Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Pure. Parses XML that came from outside. A DOCTYPE is refused before parsing: it is how
 * external entities (XXE) and entity expansion bombs ("billion laughs") get in, and a CDA
 * never needs one. Any warning or error of the parser is a refusal: only well-formed XML passes.
 */
export function parseXmlSafely(source: string): { document: Document } | { error: string; tooComplex?: true } {
  // Callers often decode with Buffer#toString, which keeps a byte order mark.
  const text = source.replace(/^\uFEFF/, '');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    return { error: 'les documents XML contenant une déclaration DOCTYPE ou ENTITY ne sont pas acceptés.' };
  }
  const shape = xmlShapeError(text);
  if (shape) return { error: shape, tooComplex: true };
  const encoding = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/.exec(text)?.[1];
  if (encoding && !/^utf-?8$/i.test(encoding)) {
    return { error: `le document XML doit être encodé en UTF-8 (il déclare ${encoding}).` };
  }
  const parser = new DOMParser({
    onError: (level, message) => {
      throw new Error(`${level}: ${message}`);
    },
  });
  try {
    const document = parser.parseFromString(text, 'text/xml');
    if (document.doctype) return { error: 'les documents XML contenant une déclaration DOCTYPE ne sont pas acceptés.' };
    return { document };
  } catch {
    return { error: 'le document XML est mal formé (balises, attributs ou entités incorrects).' };
  }
}

/** Bounds of an XML document we parse: an honest CDA stays far below (a few thousand elements, depth under 50). */
export const MAX_XML_DEPTH = 200;
export const MAX_XML_ELEMENTS = 200_000;

/**
 * Pure, linear. Counts the elements and their nesting by scanning the tags, before any DOM
 * parse: the parser needs seconds for 100,000 nested elements, and a deep tree then overflows
 * the stack of whoever walks it. Null when within bounds; a malformed document is left to the
 * parser to refuse.
 */
export function xmlShapeError(text: string, maxDepth = MAX_XML_DEPTH, maxElements = MAX_XML_ELEMENTS): string | null {
  let depth = 0;
  let elements = 0;
  for (let i = text.indexOf('<'); i !== -1; i = text.indexOf('<', i)) {
    if (text.startsWith('<!--', i)) i = indexAfter(text, '-->', i + 4);
    else if (text.startsWith('<![CDATA[', i)) i = indexAfter(text, ']]>', i + 9);
    else if (text[i + 1] === '?' || text[i + 1] === '!') i = indexAfter(text, '>', i + 2);
    else {
      const end = tagEnd(text, i + 1);
      if (end === -1) return null;
      if (text[i + 1] === '/') depth--;
      else {
        elements++;
        if (depth + 1 > maxDepth) return `le document XML a trop de niveaux d’éléments imbriqués (${maxDepth} au plus).`;
        if (elements > maxElements) return `le document XML contient trop d’éléments (${maxElements.toLocaleString('fr-FR')} au plus).`;
        if (text[end - 1] !== '/') depth++;
      }
      i = end + 1;
    }
  }
  return null;
}

/**
 * Pure, linear. The text of an XML document outside its tags (CDATA included, comments and
 * instructions dropped, entities left as written): what a document too complex to parse can
 * still show of itself.
 */
export function xmlTextOutsideTags(text: string): string {
  let out = '';
  let i = 0;
  for (let open = text.indexOf('<'); open !== -1; open = text.indexOf('<', i)) {
    out += text.slice(i, open);
    if (text.startsWith('<![CDATA[', open)) {
      const end = text.indexOf(']]>', open + 9);
      out += text.slice(open + 9, end === -1 ? text.length : end);
      i = end === -1 ? text.length : end + 3;
    } else if (text.startsWith('<!--', open)) i = indexAfter(text, '-->', open + 4);
    else {
      const end = tagEnd(text, open + 1);
      i = end === -1 ? text.length : end + 1;
    }
  }
  return out + text.slice(i);
}

/** The index just past the next `terminator`, or the end of the text. */
function indexAfter(text: string, terminator: string, from: number): number {
  const at = text.indexOf(terminator, from);
  return at === -1 ? text.length : at + terminator.length;
}

/** The index of the `>` closing a tag, skipping quoted attribute values (which may hold `>`); -1 if none. */
function tagEnd(text: string, from: number): number {
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return -1;
}
