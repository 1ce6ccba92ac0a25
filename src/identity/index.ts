/** What other modules may use of identity: the only door into it (checked by dependency-cruiser). */
export { generateCreationCode, normalizeCreationCode } from './creation-code';
export { INS_OID, buildIns, isPersonName } from './ins';
export type { Ins, InsField } from './ins';
export { generateLoginId } from './login-id';
export { formatNir, parseNir } from './nir';
export { parseRpps } from './rpps';
