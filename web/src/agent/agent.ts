/**
 * The insurance desk's side (src/api/agent/routes.ts): the signed-in agent. Words are
 * said to the agent («vous»).
 */
import { apiFetch } from "../shared/api";
import type { Answer } from "../shared/answers";

/** GET /api/agent/me */
export type Agent = Answer<"/api/agent/me", "get">;

export function fetchAgent() {
    return apiFetch<Agent>("/api/agent/me");
}

export function agentLogout() {
    return apiFetch<void>("/api/agent/logout", { method: "POST" });
}
