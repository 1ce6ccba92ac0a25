/**
 * HL7 CDA R2 documents as the CI-SIS defines them: reading the header (what the DMP files a
 * document under) and showing the human-readable part to a person. Pure: no I/O.
 *
 * A CDA comes from outside and is shown inside our pages, so rendering builds new HTML from
 * an allow-list of narrative elements: every text is escaped, no attribute of the source is
 * copied (styleCode becomes one of our classes, col/row spans are re-checked numbers), and
 * nothing that loads or runs (links, multimedia) survives.
 */
import type { Document, Element, Node } from '@xmldom/xmldom';
import { INS_OID } from '../identity';
import { parseXmlSafely, xmlTextOutsideTags } from './formats';

export interface CdaAuthor {
  /** The 11-digit RPPS number, when the author is a professional identified by it. */
  rpps?: string;
  name: string;
  specialty?: { code: string; displayName?: string };
}

export interface CdaHeader {
  /** `root^extension` (or `root`) of ClinicalDocument/id, the document's unique id. */
  documentId?: string;
  typeCode: { code: string; codeSystem: string; displayName: string };
  title: string;
  /** UTC instant (`2021-04-01T16:10:00.000Z`) or, when only a date is given, `yyyy-mm-dd`. */
  effectiveTime: string;
  confidentiality: { code: string; codeSystem: string };
  patient: {
    ins: { root: string; extension: string } | null;
    birthName: string | null;
    /** The first names of the birth certificate, separated by spaces. */
    firstNames: string | null;
    sex: string | null;
    /** yyyy-mm-dd */
    birthDate: string | null;
  };
  authors: CdaAuthor[];
  setId?: string;
  versionNumber?: number;
  nonXmlBody?: { mediaType: string; base64Length: number; byteLength: number };
}

/** A CDA the service cannot accept; the message is French, for the depositor. */
export class CdaError extends Error {
  override name = 'CdaError';
}

const HL7 = 'urn:hl7-org:v3';
const RPPS_ROOT = '1.2.250.1.71.4.2.1';
const INS_ROOTS: string[] = Object.values(INS_OID);

// ---------- reading the XML ----------

function parseCda(xml: string): Element {
  const parsed = parseXmlSafely(xml);
  if ('error' in parsed) throw new CdaError(`Document CDA refusé : ${parsed.error}`);
  return cdaRoot(parsed.document);
}

function cdaRoot(document: Document): Element {
  const root = document.documentElement;
  if (!root || root.localName !== 'ClinicalDocument' || root.namespaceURI !== HL7) {
    throw new CdaError('Document CDA refusé : l’élément racine doit être ClinicalDocument (urn:hl7-org:v3).');
  }
  return root;
}

const isElement = (node: Node): node is Element => node.nodeType === 1;

/** The HL7 children of `el` named `name` (elements of other namespaces are extensions). */
function children(el: Element | undefined, name: string): Element[] {
  if (!el) return [];
  return [...el.childNodes].filter((n): n is Element => isElement(n) && n.localName === name && n.namespaceURI === HL7);
}

/** The first element at the end of a path of child names. */
function child(el: Element | undefined, ...path: string[]): Element | undefined {
  return path.reduce<Element | undefined>((at, name) => children(at, name)[0], el);
}

const attr = (el: Element | undefined, name: string) => el?.getAttribute(name) || undefined;
const textOf = (el: Element | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() || undefined;
const instanceId = (el: Element | undefined) => {
  const root = attr(el, 'root');
  const extension = attr(el, 'extension');
  return root && extension ? `${root}^${extension}` : root;
};

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new CdaError(`Document CDA refusé : ${what} manque dans l’en-tête.`);
  return value;
}

// ---------- the header ----------

export function readCdaHeader(xml: string): CdaHeader {
  return headerOf(parseCda(xml));
}

/** The header of a CDA already parsed (by format detection), so that a deposit parses it once. */
export function cdaHeaderOf(document: Document): CdaHeader {
  return headerOf(cdaRoot(document));
}

function headerOf(doc: Element): CdaHeader {
  const code = child(doc, 'code');
  const typeCode = {
    code: required(attr(code, 'code'), 'le type de document (code)'),
    codeSystem: required(attr(code, 'codeSystem'), 'le système de codage du type de document'),
    displayName: attr(code, 'displayName') ?? '',
  };
  const confidentiality = child(doc, 'confidentialityCode');
  const version = Number(attr(child(doc, 'versionNumber'), 'value'));
  const documentId = instanceId(child(doc, 'id'));
  const setId = instanceId(child(doc, 'setId'));
  const nonXmlBody = nonXmlBodyFacts(doc);
  return {
    ...(documentId ? { documentId } : {}),
    typeCode,
    title: textOf(child(doc, 'title')) ?? typeCode.displayName,
    effectiveTime: hl7TimeToIso(required(attr(child(doc, 'effectiveTime'), 'value'), 'la date du document (effectiveTime)')),
    confidentiality: {
      code: required(attr(confidentiality, 'code'), 'la confidentialité (confidentialityCode)'),
      codeSystem: attr(confidentiality, 'codeSystem') ?? '',
    },
    patient: patientOf(required(child(doc, 'recordTarget', 'patientRole'), 'le patient (recordTarget)')),
    authors: children(doc, 'author').map(authorOf),
    ...(setId ? { setId } : {}),
    ...(Number.isInteger(version) && version > 0 ? { versionNumber: version } : {}),
    ...(nonXmlBody ? { nonXmlBody } : {}),
  };
}

function patientOf(role: Element): CdaHeader['patient'] {
  const ins = children(role, 'id').find((id) => INS_ROOTS.includes(attr(id, 'root') ?? '') && attr(id, 'extension'));
  const patient = child(role, 'patient');
  const name = child(patient, 'name');
  const byQualifier = (part: string, qualifier?: string) =>
    children(name, part).find((p) => attr(p, 'qualifier') === qualifier);
  const birthTime = attr(child(patient, 'birthTime'), 'value');
  return {
    ins: ins ? { root: attr(ins, 'root')!, extension: attr(ins, 'extension')! } : null,
    // CI-SIS: the birth name is qualified BR; the unqualified given holds all birth first names.
    birthName: textOf(byQualifier('family', 'BR') ?? child(name, 'family')) ?? null,
    firstNames: textOf(byQualifier('given') ?? byQualifier('given', 'BR') ?? child(name, 'given')) ?? null,
    sex: attr(child(patient, 'administrativeGenderCode'), 'code') ?? null,
    birthDate: birthTime && /^\d{8}/.test(birthTime) ? hl7TimeToIso(birthTime.slice(0, 8)) : null,
  };
}

function authorOf(author: Element): CdaAuthor {
  const assigned = child(author, 'assignedAuthor');
  // The RPPS comes with its type prefix: "8" followed by the 11 digits.
  const rppsId = children(assigned, 'id').find((id) => attr(id, 'root') === RPPS_ROOT);
  const rpps = /^8(\d{11})$/.exec(attr(rppsId, 'extension') ?? '')?.[1];
  const personName = child(assigned, 'assignedPerson', 'name');
  const name = personName
    ? [...children(personName, 'given'), ...children(personName, 'family')].map(textOf).filter(Boolean).join(' ')
    : textOf(child(assigned, 'assignedAuthoringDevice', 'softwareName')) ?? textOf(child(assigned, 'representedOrganization', 'name'));
  const code = child(assigned, 'code');
  const specialty = attr(code, 'code');
  const displayName = attr(code, 'displayName');
  return {
    ...(rpps ? { rpps } : {}),
    name: name || 'Auteur non nommé',
    ...(specialty ? { specialty: { code: specialty, ...(displayName ? { displayName } : {}) } } : {}),
  };
}

function nonXmlBodyFacts(doc: Element): CdaHeader['nonXmlBody'] {
  const text = child(doc, 'component', 'nonXMLBody', 'text');
  if (!text) return undefined;
  const base64 = (text.textContent ?? '').replace(/\s+/g, '');
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return {
    mediaType: attr(text, 'mediaType') ?? 'text/plain',
    base64Length: base64.length,
    byteLength: (base64.length / 4) * 3 - padding,
  };
}

/** The document carried by a CDA level 1 (nonXMLBody), e.g. a PDF in base64. */
export function extractNonXmlBody(xml: string): { mediaType: string; bytes: Buffer } | null {
  const text = child(parseCda(xml), 'component', 'nonXMLBody', 'text');
  if (!text) return null;
  if (attr(text, 'compression')) throw new CdaError('Document CDA refusé : le contenu compressé n’est pas pris en charge.');
  if (child(text, 'reference')) throw new CdaError('Document CDA refusé : le contenu doit être inclus, pas référencé.');
  const mediaType = attr(text, 'mediaType') ?? 'text/plain';
  const content = text.textContent ?? '';
  if (attr(text, 'representation') !== 'B64') return { mediaType, bytes: Buffer.from(content, 'utf8') };
  const base64 = content.replace(/\s+/g, '');
  if (base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) {
    throw new CdaError('Document CDA refusé : le contenu encodé en base64 est invalide.');
  }
  return { mediaType, bytes: Buffer.from(base64, 'base64') };
}

// ---------- times ----------

const HL7_TIME = /^(\d{4})(\d{2})?(\d{2})?(?:(\d{2})(\d{2})?(\d{2})?(?:\.(\d{1,4}))?)?([+-]\d{4})?$/;

/**
 * An HL7 TS (`20210401171000+0100`) as ISO 8601. A time with its zone becomes a UTC instant;
 * a time without zone was written by French software and is read as Paris time; a bare
 * date stays a date (`2018-12-03`, or `2018-12`, `2018`).
 */
export function hl7TimeToIso(value: string): string {
  const m = HL7_TIME.exec(value.trim());
  if (!m) throw new CdaError(`Document CDA refusé : la date « ${value} » n’est pas au format HL7.`);
  const [, year, month, day, hour, minute, second, fraction, zone] = m;
  if (month && (+month < 1 || +month > 12)) throw new CdaError(`Document CDA refusé : la date « ${value} » n’existe pas.`);
  if (!month || !day) return [year, month].filter(Boolean).join('-');
  const wallClock = Date.UTC(+year!, +month - 1, +day, +(hour ?? 0), +(minute ?? 0), +(second ?? 0), Math.round(Number(`0.${fraction ?? 0}`) * 1000));
  const check = new Date(wallClock);
  if (check.getUTCMonth() !== +month - 1 || check.getUTCDate() !== +day || +(hour ?? 0) > 23 || +(minute ?? 0) > 59 || +(second ?? 0) > 59) {
    throw new CdaError(`Document CDA refusé : la date « ${value} » n’existe pas.`);
  }
  if (hour === undefined) return `${year}-${month}-${day}`;
  if (!zone) return new Date(wallClock - parisOffsetMs(wallClock - parisOffsetMs(wallClock))).toISOString();
  const offset = (zone.startsWith('-') ? -1 : 1) * (+zone.slice(1, 3) * 60 + +zone.slice(3, 5)) * 60_000;
  return new Date(wallClock - offset).toISOString();
}

const parisClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  hourCycle: 'h23',
  year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
});

/** How far Paris is ahead of UTC at an instant (one or two hours). */
function parisOffsetMs(instant: number): number {
  const part = (type: string) => Number(parisClock.formatToParts(instant).find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

// ---------- rendering ----------

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const frenchDate = (iso: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(iso)
    ? new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`))
    : /T/.test(iso)
      ? new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(new Date(iso))
      : iso;

/** The document as an HTML fragment that is safe to put inside one of our pages. */
export function renderCdaHtml(xml: string): string {
  const parsed = parseXmlSafely(xml);
  // Stored before the deposit bounded XML: show that it exists rather than fail every view.
  if ('error' in parsed && parsed.tooComplex) return tooComplex(xml);
  if ('error' in parsed) throw new CdaError(`Document CDA refusé : ${parsed.error}`);
  const doc = cdaRoot(parsed.document);
  const header = headerOf(doc);
  const body = header.nonXmlBody
    ? `<p class="cda-attachment">Le contenu de ce document est un fichier joint (${escapeHtml(header.nonXmlBody.mediaType)}) à ouvrir séparément.</p>`
    : children(child(doc, 'component', 'structuredBody'), 'component')
        .flatMap((c) => children(c, 'section'))
        .map((s) => renderSection(s, 2))
        .join('');
  return `<article class="cda-document">${renderHeader(header)}${body}</article>`;
}

function renderHeader(h: CdaHeader): string {
  const p = h.patient;
  const born = p.sex === 'F' ? 'née le' : p.sex === 'M' ? 'né le' : 'né(e) le';
  const patient = [
    [p.firstNames, p.birthName].filter(Boolean).join(' '),
    p.birthDate ? `${born} ${frenchDate(p.birthDate)}` : '',
    p.ins ? `INS ${p.ins.extension}` : '',
  ].filter(Boolean).join(', ');
  const authors = h.authors.map((a) =>
    [a.name, a.specialty?.displayName && `(${a.specialty.displayName})`, a.rpps && `RPPS ${a.rpps}`].filter(Boolean).join(' '),
  );
  const rows: [string, string[]][] = [
    ['Patient', [patient]],
    [authors.length > 1 ? 'Auteurs' : 'Auteur', authors],
    ['Date', [frenchDate(h.effectiveTime)]],
    ['Type de document', [h.typeCode.displayName || h.typeCode.code]],
  ];
  const list = rows
    .filter(([, values]) => values.some(Boolean))
    .map(([term, values]) => `<dt>${term}</dt>${values.map((v) => `<dd>${escapeHtml(v)}</dd>`).join('')}`)
    .join('');
  const title = h.title || h.typeCode.displayName || 'Document sans titre';
  return `<header class="cda-header"><h1>${escapeHtml(title)}</h1><dl>${list}</dl></header>`;
}

/** A document too deep or too large to parse: a notice, then its text only. */
function tooComplex(xml: string): string {
  const text = xmlTextOutsideTags(xml).replace(/\s+/g, ' ').trim();
  return (
    '<article class="cda-document"><p class="cda-attachment">Ce document est trop complexe pour être mis en forme : ' +
    `voici son texte seul ; téléchargez-le pour l’ouvrir.</p><div class="cda-text">${escapeHtml(text)}</div></article>`
  );
}

/** Sections nested deeper than this are shown as their text: a hostile nesting cannot exhaust the stack. */
const MAX_SECTION_DEPTH = 20;

/** `level` is the heading level: 2 for a top section. */
function renderSection(section: Element, level: number): string {
  if (level - 1 > MAX_SECTION_DEPTH) return `<p class="cda-text">${escapeHtml(textOf(section) ?? '')}</p>`;
  const heading = Math.min(level, 6);
  const title = textOf(child(section, 'title'));
  const text = child(section, 'text');
  const nested = children(section, 'component').flatMap((c) => children(c, 'section'));
  return (
    '<section class="cda-section">' +
    (title ? `<h${heading}>${escapeHtml(title)}</h${heading}>` : '') +
    (text ? `<div class="cda-text">${renderNodes(text, 0)}</div>` : '') +
    nested.map((s) => renderSection(s, level + 1)).join('') +
    '</section>'
  );
}

/** Narrative elements rendered as themselves (renamed when HTML has another name). */
const SAME_SHAPE: Record<string, string> = {
  paragraph: 'p', content: 'span', sub: 'sub', sup: 'sup', table: 'table', thead: 'thead', tbody: 'tbody',
  tfoot: 'tfoot', tr: 'tr', th: 'th', td: 'td', item: 'li', linkHtml: 'span', footnote: 'small',
};
/** Where only elements make sense: stray text there would be pushed out of a table or list. */
const CONTAINERS = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr', 'list']);
/** Beyond this depth a hostile document gets its text only, so rendering cannot exhaust the stack. */
const MAX_DEPTH = 40;

function renderNodes(parent: Element, depth: number): string {
  if (depth > MAX_DEPTH) return escapeHtml(parent.textContent ?? '');
  const onlyElements = CONTAINERS.has(parent.localName ?? '');
  let html = '';
  for (const node of parent.childNodes) {
    if (isElement(node)) html += renderElement(node, parent, depth + 1);
    else if ((node.nodeType === 3 || node.nodeType === 4) && !onlyElements) html += escapeHtml(node.nodeValue ?? '');
    // comments and processing instructions are dropped
  }
  return html;
}

function renderElement(el: Element, parent: Element, depth: number): string {
  const name = el.namespaceURI === HL7 ? el.localName ?? '' : '';
  switch (name) {
    case 'br':
      return '<br>';
    case 'caption':
      return parent.localName === 'table' ? `<caption>${renderNodes(el, depth)}</caption>` : `<span class="cda-caption">${renderNodes(el, depth)}</span> `;
    case 'list': {
      const tag = attr(el, 'listType') === 'ordered' ? 'ol' : 'ul';
      const caption = children(el, 'caption').map((c) => `<p class="cda-caption">${renderNodes(c, depth)}</p>`).join('');
      const items = children(el, 'item').map((i) => renderElement(i, el, depth)).join('');
      return `${caption}<${tag}${classes(el)}>${items}</${tag}>`;
    }
    case 'renderMultiMedia':
      return '<span class="cda-omitted">[image ou contenu multimédia non affiché]</span>';
    case 'footnoteRef':
    case 'col':
    case 'colgroup':
      return '';
    case 'content': {
      const revised = attr(el, 'revised');
      const tag = revised === 'delete' ? 'del' : revised === 'insert' ? 'ins' : 'span';
      return `<${tag}${classes(el)}>${renderNodes(el, depth)}</${tag}>`;
    }
  }
  const tag = SAME_SHAPE[name];
  // Anything outside the narrative schema (script, iframe, foreign namespaces…) keeps only its text.
  if (!tag) return escapeHtml(el.textContent ?? '');
  const extra = name === 'linkHtml' ? ' cda-link' : name === 'footnote' ? ' cda-footnote' : '';
  return `<${tag}${classes(el, extra)}${spans(el, name)}>${renderNodes(el, depth)}</${tag}>`;
}

/** styleCode tokens we know become our classes; everything else is dropped. */
function classes(el: Element, extra = ''): string {
  const style = (attr(el, 'styleCode') ?? '').toLowerCase();
  const names = [
    /bold/.test(style) && 'cda-bold',
    /italic/.test(style) && 'cda-italics',
    /underline/.test(style) && 'cda-underline',
    /emphasis/.test(style) && 'cda-emphasis',
  ].filter(Boolean).join(' ') + extra;
  return names.trim() ? ` class="${names.trim()}"` : '';
}

/** Table cells keep their spans, re-written as small integers, or the table would not read right. */
function spans(el: Element, name: string): string {
  if (name !== 'td' && name !== 'th') return '';
  return ['colspan', 'rowspan']
    .map((a) => [a, attr(el, a)] as const)
    .filter(([, v]) => v !== undefined && /^\d{1,3}$/.test(v) && +v > 1)
    .map(([a, v]) => ` ${a}="${+v!}"`)
    .join('');
}
