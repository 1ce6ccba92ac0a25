import type { Professional } from '../accounts';
import type { Actor } from './types';

/** A signed-in professional as the policy sees them. */
export function actorOf(pro: Professional): Actor {
  return {
    kind: 'professional',
    id: pro.rpps,
    displayName: pro.name,
    profession: pro.profession,
    ...(pro.specialty ? { specialty: pro.specialty } : {}),
    ...(pro.role ? { role: pro.role } : {}),
  };
}
