import type { FastifyRequest } from 'fastify';
import { AppError } from '../../platform';
import { sessionAgent, type Agent } from '../../accounts';

/**
 * Who is the agent behind a request: a session opened by sign-in.ts, whose data
 * holds the agent. Other sessions (patients, professionals) are refused here,
 * and agent sessions are refused everywhere else, so an agent never reaches a
 * record's content.
 */

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireAgent`; null before it runs, or on a route without it. */
    agent: Agent | null;
  }
}



/** A preHandler for the desk: a signed-in agent, whatever the state of their password. */
export async function requireAgentSession(request: FastifyRequest): Promise<void> {
  const session = request.session;
  if (!session) {
    throw new AppError(401, 'unauthenticated', 'Connexion nécessaire', 'Connectez-vous au guichet avec votre identifiant d’agent.');
  }
  const parsed = session.actorKind === 'agent' ? sessionAgent.safeParse(session.data) : null;
  if (!parsed?.success) {
    throw new AppError(403, 'forbidden', 'Accès refusé', 'Cet espace est réservé aux agents de l’Assurance Maladie.');
  }
  request.agent = parsed.data;
}

/** A preHandler for the desk's work: the initial password must have been replaced first. */
export async function requireAgent(request: FastifyRequest): Promise<void> {
  await requireAgentSession(request);
  if (request.agent!.mustChangePassword) {
    throw new AppError(403, 'password-change-required', 'Mot de passe à changer', 'Choisissez d’abord votre propre mot de passe.');
  }
}
