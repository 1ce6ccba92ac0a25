/**
 * An agent's identifier: «ag-» then the first name's initial and the last name,
 * plain letters only (what a person types without hesitating), and a number
 * when the name is taken. The prefix keeps agent identifiers apart from the
 * patients' (three letters and four digits), in the logs and in the sessions.
 */

const plain = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

export function agentIdCandidate(firstName: string, lastName: string, attempt: number): string {
  const base = `ag-${plain(firstName).slice(0, 1)}${plain(lastName).slice(0, 12)}`;
  return attempt === 0 ? base : `${base}${attempt + 1}`;
}

export const AGENT_ID = /^ag-[a-z]{2,13}\d{0,3}$/;
