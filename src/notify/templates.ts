import type { OutboxMessage } from './outbox';
import { plainLetter } from '../platform';

/**
 * What each message says, in plain French, from "Mon DMP". Pure functions:
 * one content per kind, laid out as an email (subject, text, HTML), an SMS
 * (GSM 7-bit characters only, at most 160, so that it stays one SMS) or a
 * letter (title, paragraphs, a highlighted box). Never any medical content.
 */

export interface TemplateOptions {
  /** The service's public address, quoted to tell people where to go. */
  siteUrl: string;
}

export interface Highlight {
  label: string;
  value: string;
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

export interface LetterContent {
  title: string;
  paragraphs: string[];
  highlight: Highlight[];
  closing: string[];
}

/** The parts every layout is made from. */
interface Content {
  subject: string;
  intro: string[];
  highlight: Highlight[];
  closing: string[];
  link?: { label: string; url: string };
  sms?: string;
}

export const SERVICE_NAME = 'Mon DMP';
export const SMS_MAX_LENGTH = 160;
const SIGNATURE = 'Mon DMP — Dossier Médical Partagé';
const NO_REPLY = 'Ce message est envoyé automatiquement : merci de ne pas y répondre.';
const KEEP_SECRET = 'Ne communiquez ce code à personne. Personne ne vous le demandera, ni par téléphone, ni par message.';

const dayFormat = (timeZone: string) =>
  new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone });

/** "1er mars 2026", "12 mars 2026". A YYYY-MM-DD string is a calendar date; a Date is read in Paris time. */
export function formatFrenchDate(date: Date | string): string {
  const text =
    typeof date === 'string' ? dayFormat('UTC').format(new Date(`${date}T00:00:00Z`)) : dayFormat('Europe/Paris').format(date);
  return text.replace(/^1 /, '1er ');
}

/** Groups of four read better from paper and still paste back (spaces are ignored). */
const grouped = (code: string) => code.replace(/(.{4})(?=.)/g, '$1 ');

const validity = (minutes: number | undefined) =>
  minutes === undefined ? [] : [`Ce code est valable ${minutes} minutes.`];

function contentOf(message: OutboxMessage, { siteUrl }: TemplateOptions): Content {
  const byEmail = 'email' in message.to;
  switch (message.kind) {
    case 'creation-code': {
      const { code, firstName, lastName, expiresOn } = message.data;
      return {
        subject: 'Votre code pour créer votre dossier médical partagé',
        intro: [
          `Bonjour ${firstName} ${lastName},`,
          'Vous pouvez créer votre dossier médical partagé (DMP) sur Mon DMP. Il vous faut pour cela le code ci-dessous.',
        ],
        highlight: [
          { label: 'Votre code de création', value: grouped(code) },
          { label: 'À utiliser avant le', value: formatFrenchDate(expiresOn) },
        ],
        closing: [
          `Rendez-vous sur ${siteUrl}, choisissez « Créer mon dossier » et saisissez ce code. Il ne sert qu’une seule fois.`,
          KEEP_SECRET,
          'Si vous ne voulez pas de dossier, ne faites rien : ce code cessera de fonctionner à cette date.',
        ],
      };
    }
    case 'login-code':
      return {
        subject: 'Votre code de connexion à Mon DMP',
        intro: ['Bonjour,', 'Voici votre code pour vous connecter à Mon DMP :'],
        highlight: [{ label: 'Code de connexion', value: message.data.code }],
        closing: [
          ...validity(message.data.validMinutes),
          'Si vous n’êtes pas en train de vous connecter, ne donnez ce code à personne et changez votre mot de passe.',
        ],
        sms: `Mon DMP : votre code de connexion est ${message.data.code}. Il est valable ${message.data.validMinutes} minutes. Ne le donnez à personne.`,
      };
    case 'password-reset-code':
      return {
        subject: 'Votre code pour changer de mot de passe',
        intro: ['Bonjour,', 'Vous avez demandé à changer le mot de passe de votre compte Mon DMP. Voici votre code :'],
        highlight: [{ label: 'Code', value: message.data.code }],
        closing: [
          ...validity(message.data.validMinutes),
          'Si vous n’avez rien demandé, ignorez ce message : votre mot de passe ne change pas. ' + KEEP_SECRET,
        ],
        sms: `Mon DMP : votre code pour changer de mot de passe est ${message.data.code}. Ne le donnez à personne. Si vous n'avez rien demandé, ignorez ce message.`,
      };
    case 'contact-change-code':
      return {
        subject: byEmail ? 'Confirmez votre adresse e-mail' : 'Confirmez votre numéro de mobile',
        intro: [
          'Bonjour,',
          `Vous avez demandé à recevoir les messages de Mon DMP ${byEmail ? 'à cette adresse' : 'sur ce numéro'}. Pour le confirmer, saisissez ce code :`,
        ],
        highlight: [{ label: 'Code de confirmation', value: message.data.code }],
        closing: [...validity(message.data.validMinutes), 'Si vous n’avez rien demandé, ignorez ce message.'],
        sms: `Mon DMP : votre code pour confirmer ce numéro est ${message.data.code}. Ne le donnez à personne.`,
      };
    case 'desk-login-code':
      return {
        subject: 'Votre code de connexion au guichet DMP',
        intro: ['Bonjour,', 'Voici votre code pour vous connecter au guichet DMP de l’Assurance Maladie :'],
        highlight: [{ label: 'Code de connexion', value: message.data.code }],
        closing: [
          ...validity(message.data.validMinutes),
          'Si vous n’êtes pas en train de vous connecter, ne donnez ce code à personne et prévenez votre responsable.',
        ],
      };
    case 'caregiver-invitation': {
      const { code, firstName, lastName, patientName, expiresOn, link } = message.data;
      return {
        subject: `${patientName} vous invite comme proche aidant sur Mon DMP`,
        intro: [
          `Bonjour ${firstName} ${lastName},`,
          `${patientName} vous invite à l’aider à suivre son dossier médical partagé (DMP) : en tant que proche aidant, vous pourrez lire et ajouter des documents.`,
        ],
        highlight: [
          { label: 'Votre code d’invitation', value: grouped(code) },
          { label: 'À utiliser avant le', value: formatFrenchDate(expiresOn) },
        ],
        closing: [
          `Choisissez « J’ai reçu une invitation » sur ${siteUrl}, puis saisissez ce code et cette adresse mail. Il ne sert qu’une seule fois.`,
          KEEP_SECRET,
          'Si vous ne connaissez pas cette personne, ne faites rien : ce code cessera de fonctionner à cette date.',
        ],
        link: { label: 'Accepter l’invitation', url: link },
      };
    }
    case 'notification': {
      const { title, body, link } = message.data;
      return {
        subject: title,
        intro: ['Bonjour,', body],
        highlight: [],
        closing: ['Pour votre sécurité, ce message ne dit rien de votre santé : connectez-vous à Mon DMP pour en savoir plus.'],
        link: { label: 'Ouvrir Mon DMP', url: link },
        sms: fitSms(`Mon DMP : ${title}`, ` Plus d'informations : ${link}`),
      };
    }
  }
}

export function renderEmail(message: OutboxMessage, options: TemplateOptions): EmailContent {
  const c = contentOf(message, options);
  const highlight = c.highlight.map((h) => `${h.label} : ${h.value}`);
  const link = c.link ? [`${c.link.label} : ${c.link.url}`] : [];
  const text = [...c.intro, ...highlight, ...link, ...c.closing, `${SIGNATURE}\n${NO_REPLY}`].join('\n\n') + '\n';
  return { subject: c.subject, text, html: emailHtml(c) };
}

export function renderSms(message: OutboxMessage, options: TemplateOptions): string {
  const { sms } = contentOf(message, options);
  if (sms === undefined) throw new Error(`no SMS template for ${message.kind}`);
  return fitSms(sms, '');
}

export function renderLetter(message: OutboxMessage, options: TemplateOptions): LetterContent {
  const c = contentOf(message, options);
  const link = c.link ? [`${c.link.label} : ${c.link.url}`] : [];
  return { title: c.subject, paragraphs: c.intro, highlight: c.highlight, closing: [...link, ...c.closing] };
}

/** What a developer reads in the dev outbox: the subject (or letter title) and the text as sent. */
export function renderPreview(message: OutboxMessage, options: TemplateOptions): { subject: string | null; text: string } {
  if ('mobile' in message.to) return { subject: null, text: renderSms(message, options) };
  if ('email' in message.to) {
    const { subject, text } = renderEmail(message, options);
    return { subject, text };
  }
  const letter = renderLetter(message, options);
  const highlight = letter.highlight.map((h) => `${h.label} : ${h.value}`);
  return { subject: letter.title, text: [...letter.paragraphs, ...highlight, ...letter.closing].join('\n\n') };
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

function emailHtml(c: Content): string {
  const p = (s: string) => `<p>${escapeHtml(s)}</p>`;
  const highlight = c.highlight.length
    ? `<table role="presentation" style="margin:16px 0;padding:12px 16px;background:#f5f5fe;border-left:4px solid #000091">${c.highlight
        .map(
          (h) =>
            `<tr><td style="padding:4px 16px 4px 0">${escapeHtml(h.label)}</td>` +
            `<td style="padding:4px 0;font-size:20px;font-weight:bold;letter-spacing:2px">${escapeHtml(h.value)}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  const link = c.link ? `<p><a href="${escapeHtml(c.link.url)}">${escapeHtml(c.link.label)}</a></p>` : '';
  return [
    '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>' + escapeHtml(c.subject) + '</title></head>',
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#161616">',
    `<p style="font-weight:bold;color:#000091">${escapeHtml(SIGNATURE)}</p>`,
    ...c.intro.map(p),
    highlight,
    link,
    ...c.closing.map(p),
    `<p style="font-size:13px;color:#666">${escapeHtml(NO_REPLY)}</p>`,
    '</body></html>',
  ].join('\n');
}

// GSM 03.38 basic character set: an SMS written only with these fits 160 characters.
const GSM7 = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_SUBSTITUTES: Record<string, string> = {
  '’': "'", '‘': "'", '«': '"', '»': '"', '“': '"', '”': '"', '–': '-', '—': '-', '…': '...',
  '\u00a0': ' ', '\u202f': ' ', '\u2009': ' ', 'ç': 'c', '€': 'EUR',
};

/** Any text made of GSM 7-bit characters: typographic marks replaced, other accents dropped (ê → e). */
export function toGsm7(text: string): string {
  let out = '';
  for (const ch of text.replace(/«\s*/g, '"').replace(/\s*»/g, '"')) {
    out += GSM7.has(ch) ? ch : (GSM7_SUBSTITUTES[ch] ?? plainLetter(ch, (c) => GSM7.has(c)));
  }
  return out;
}

/** head + tail in one SMS: the head is shortened first; the tail (a link) is dropped if it cannot fit. */
function fitSms(head: string, tail: string): string {
  const h = toGsm7(head);
  const t = toGsm7(tail);
  if (h.length + t.length <= SMS_MAX_LENGTH) return h + t;
  const room = SMS_MAX_LENGTH - t.length - 3;
  if (room >= 20) return h.slice(0, room).trimEnd() + '...' + t;
  return h.length <= SMS_MAX_LENGTH ? h : h.slice(0, SMS_MAX_LENGTH - 3).trimEnd() + '...';
}
