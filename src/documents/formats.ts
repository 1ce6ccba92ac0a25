/**
 * What a deposited file really is, decided from its bytes alone: a file name or a declared
 * media type is whatever the sender's software (or an attacker) wrote. Only the formats the
 * DMP accepts get through: PDF, CDA R2 (XML), plain text, JPEG and PNG images.
 */
import { DOMParser, type Document } from '@xmldom/xmldom';

export type DocumentFormat = 'pdf' | 'cda' | 'text' | 'jpeg' | 'png';
export type DetectedFormat = { format: DocumentFormat; mediaType: string } | { error: string };

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
  const file = declaredName ? `Le fichier « ${declaredName} »` : 'Le fichier';
  if (bytes.length === 0) return { error: `${file} est vide.` };
  const known = MAGIC.find((m) => startsWith(bytes, m.bytes));
  if (known) return { format: known.format, mediaType: known.mediaType };
  const refused = REFUSED_MAGIC.find((m) => startsWith(bytes, m.bytes));
  if (refused) return { error: `${file} est ${refused.what} : il ne peut pas être déposé. ${ACCEPTED}` };

  const text = decodeUtf8(bytes);
  if (text === null) return { error: `${file} n’est ni un format reconnu ni un texte valide (UTF-8). ${ACCEPTED}` };
  if (text.trimStart().startsWith('<')) return detectMarkup(text, file);
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(text)) {
    return { error: `${file} contient des caractères de contrôle : ce n’est pas un texte lisible. ${ACCEPTED}` };
  }
  return { format: 'text', mediaType: 'text/plain' };
}

/** Anything that looks like markup must be a CDA: HTML and other XML could carry active content. */
function detectMarkup(text: string, file: string): DetectedFormat {
  // A comment body cannot contain `-->`, so each comment matches one way only (no catastrophic backtracking).
  if (/^\s*(?:<!--(?:(?!-->)[\s\S])*-->\s*)*<(?:!doctype\s+html|(?:html|head|body|script|meta|iframe|div)[\s/>])/i.test(text)) {
    return { error: `${file} est une page HTML : elle ne peut pas être déposée. ${ACCEPTED}` };
  }
  const parsed = parseXmlSafely(text);
  if ('error' in parsed) return { error: `${file} : ${parsed.error}` };
  if (!isCdaRoot(parsed.document)) {
    return {
      error: `${file} est un fichier XML qui n’est pas un document CDA R2 (élément racine ClinicalDocument de l’espace de noms ${CDA_NAMESPACE} attendu).`,
    };
  }
  return { format: 'cda', mediaType: 'text/xml' };
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
export function parseXmlSafely(source: string): { document: Document } | { error: string } {
  // Callers often decode with Buffer#toString, which keeps a byte order mark.
  const text = source.replace(/^\uFEFF/, '');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    return { error: 'les documents XML contenant une déclaration DOCTYPE ou ENTITY ne sont pas acceptés.' };
  }
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
