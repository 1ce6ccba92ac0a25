#!/usr/bin/env node
// A table is queried only by the module that owns it, and no door (src/api) holds SQL
// (ARCHITECTURE.md, "Layout"). dependency-cruiser checks imports; this checks queries.
// A module owns the tables its `…Tables` type declares (its tables.ts). Every Kysely query
// names its table in selectFrom / insertInto / updateTable / deleteFrom / …Join: that is
// what is read here, file by file. Exits non-zero on a query outside its owner.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * What is still crossing, each with why; the list may only shrink. A line is
 * `module -> table`; a line that no longer matches anything is reported too, so that
 * the list stays true.
 */
const KNOWN = new Map([
  ['app -> care_history', 'the demo seed writes a year of care history directly'],
  ['app -> insurance_agent', 'the demo seed marks the demo agent’s password as replaced'],
  ['history -> audit_event', 'the history is read from the trail’s events'],
]);

const walk = (dir, out = []) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(path);
  }
  return out;
};
const files = walk('src');
const moduleOf = (file) => relative('src', file).split('/')[0];

const owner = new Map();
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  for (const type of text.matchAll(/export type \w+Tables = (?:\w+ & )?\{([\s\S]*?)\n\};/g)) {
    for (const table of type[1].matchAll(/^ {2}(\w+): /gm)) owner.set(table[1], moduleOf(file));
  }
}

const problems = [];
const used = new Set();
const QUERY = /(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|mergeInto)\(\s*'(\w+)/g;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const module = moduleOf(file);
  if (module === 'api' && (QUERY.test(text) || /\bsql`/.test(text))) problems.push(`${file}: a door holds SQL; call the owning module`);
  QUERY.lastIndex = 0;
  for (const query of text.matchAll(QUERY)) {
    const table = query[1];
    const tableOwner = owner.get(table);
    if (!tableOwner) problems.push(`${file}: table ${table} is declared by no module's …Tables type`);
    else if (tableOwner !== module) {
      const pair = `${module} -> ${table}`;
      if (KNOWN.has(pair)) used.add(pair);
      else problems.push(`${file}: queries ${table}, owned by ${tableOwner}`);
    }
  }
}
for (const pair of KNOWN.keys()) if (!used.has(pair)) problems.push(`scripts/check-table-owners.mjs: "${pair}" no longer happens: remove it from KNOWN`);

if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`\n${problems.length} table ownership problem(s).`);
  process.exit(1);
}
console.log(`table owners: ${owner.size} tables, every query in its owner's module (${KNOWN.size} known crossings left).`);
