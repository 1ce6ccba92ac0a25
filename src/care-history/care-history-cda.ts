/**
 * The care history as an HL7 CDA R2 document (CI-SIS header, structured body): what the DMP
 * files under «Historique des remboursements» (type REMB) and what the patient and the
 * professionals' software open like any other document. One section per kind of care, each a
 * table, newest first. Pure; every text is escaped.
 */
import { CARE_KINDS, type CareKind, type CareLine } from './feed-line';

export interface CareHistoryPatient {
  insOid: string;
  ins: string;
  birthName: string;
  firstNames: string;
  sex: 'M' | 'F';
  /** yyyy-mm-dd */
  birthDate: string;
}

export interface CareHistoryDocument {
  /** A new id for each version; the set id stays the same across versions. */
  documentId: string;
  setId: string;
  version: number;
  issuedAt: Date;
  patient: CareHistoryPatient;
  lines: readonly CareLine[];
}

export const CARE_HISTORY_TITLE = 'Historique des remboursements';
export const INSURANCE_NAME = 'Assurance Maladie';
const TYPE = { code: 'REMB', codeSystem: '1.2.250.1.213.1.1.4.12', displayName: 'Données de remboursement' };

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** 20261122143000+0000 */
const hl7Time = (instant: Date) => `${instant.toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;

/** 03/10/2026 */
const frenchDay = (day: string) => day.split('-').reverse().join('/');

function section(kind: CareKind, lines: readonly CareLine[]): string {
  const rows = lines
    .map(
      (l) =>
        `<tr><td>${frenchDay(l.careDate)}</td><td>${escape(l.label)}</td><td>${l.quantity}</td><td>${escape(l.professional ?? '—')}</td></tr>`,
    )
    .join('');
  return `<component><section><title>${escape(CARE_KINDS[kind])}</title><text><table><thead><tr><th>Date des soins</th><th>Soin ou produit</th><th>Nombre</th><th>Professionnel ou établissement</th></tr></thead><tbody>${rows}</tbody></table></text></section></component>`;
}

export function careHistoryCda(doc: CareHistoryDocument): string {
  const p = doc.patient;
  const byKind = (Object.keys(CARE_KINDS) as CareKind[])
    .map((kind) => [kind, doc.lines.filter((l) => l.kind === kind)] as const)
    .filter(([, lines]) => lines.length > 0);
  const intro = doc.lines.length
    ? `Les soins et produits de santé remboursés par l’Assurance Maladie pendant les 24 derniers mois, du plus récent au plus ancien (${doc.lines.length} ligne${doc.lines.length > 1 ? 's' : ''}).`
    : 'Aucun remboursement pendant les 24 derniers mois.';
  const time = hl7Time(doc.issuedAt);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<ClinicalDocument xmlns="urn:hl7-org:v3">',
    '<realmCode code="FR"/>',
    '<typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>',
    '<templateId root="2.16.840.1.113883.2.8.2.1"/>',
    '<templateId root="1.2.250.1.213.1.1.1.1"/>',
    `<id root="${doc.documentId}"/>`,
    `<code code="${TYPE.code}" codeSystem="${TYPE.codeSystem}" displayName="${escape(TYPE.displayName)}"/>`,
    `<title>${CARE_HISTORY_TITLE}</title>`,
    `<effectiveTime value="${time}"/>`,
    '<confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>',
    '<languageCode code="fr-FR"/>',
    `<setId root="${doc.setId}"/>`,
    `<versionNumber value="${doc.version}"/>`,
    '<recordTarget><patientRole>',
    `<id root="${escape(p.insOid)}" extension="${escape(p.ins)}"/>`,
    `<patient><name><given>${escape(p.firstNames)}</given><family qualifier="BR">${escape(p.birthName)}</family></name>`,
    `<administrativeGenderCode code="${p.sex}" codeSystem="2.16.840.1.113883.5.1"/>`,
    `<birthTime value="${p.birthDate.replace(/-/g, '')}"/></patient>`,
    '</patientRole></recordTarget>',
    `<author><time value="${time}"/><assignedAuthor><id nullFlavor="NA"/>`,
    `<representedOrganization><name>${INSURANCE_NAME}</name></representedOrganization></assignedAuthor></author>`,
    `<custodian><assignedCustodian><representedCustodianOrganization><name>${INSURANCE_NAME}</name></representedCustodianOrganization></assignedCustodian></custodian>`,
    '<component><structuredBody>',
    `<component><section><title>Période</title><text><paragraph>${escape(intro)}</paragraph></text></section></component>`,
    ...byKind.map(([kind, lines]) => section(kind, lines)),
    '</structuredBody></component>',
    '</ClinicalDocument>',
    '',
  ].join('\n');
}
