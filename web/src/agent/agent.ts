/**
 * The insurance desk's side (src/api/agent/routes.ts): the signed-in agent. Words are
 * said to the agent («vous»).
 */
import { apiFetch } from "../shared/api";

/** GET /api/agent/me */
export interface Agent {
    agentId: string;
    firstName: string;
    lastName: string;
    name: string;
    office: string;
    mustChangePassword: boolean;
}

export function fetchAgent() {
    return apiFetch<Agent>("/api/agent/me");
}

export function agentLogout() {
    return apiFetch<void>("/api/agent/logout", { method: "POST" });
}
