/**
 * The life of a record (DOMAIN.md §7) as the JSON API says it (src/api/patient/lifecycle.ts): close,
 * reactivate, delete at once, and the copy of the whole record as a ZIP file.
 */
import type { ApiResult, ProblemDetails } from "../shared/api";
import type { Answer } from "../shared/answers";

/** GET /api/records/:recordId/lifecycle; destroyOn: when a closed record will be destroyed, ten years after its closure. */
export type Lifecycle = Answer<"/api/records/{recordId}/lifecycle", "get">;

export function recordApi(recordId: string): string {
    return `/api/records/${encodeURIComponent(recordId)}`;
}

/** The word typed to confirm a definitive deletion (the server checks it too). */
export const DELETION_WORD = "SUPPRIMER";

const NO_SERVICE: ProblemDetails = {
    type: "about:blank",
    title: "Le service ne répond pas. Vérifiez votre connexion internet, puis réessayez."
};

/** GET /api/records/:recordId/copy: the ZIP file and its name, or the server's problem. */
export async function fetchRecordCopy(recordId: string): Promise<ApiResult<{ blob: Blob; fileName: string }>> {
    let response: Response;
    try {
        response = await fetch(`${recordApi(recordId)}/copy`, {
            credentials: "same-origin",
            headers: { accept: "application/zip, application/problem+json" }
        });
    } catch {
        return { ok: false, status: 0, problem: NO_SERVICE };
    }
    if (!response.ok) {
        let problem: ProblemDetails = { status: response.status, title: `Erreur ${response.status}` };
        try {
            problem = { ...problem, ...((await response.json()) as ProblemDetails) };
        } catch {
            // Keep the default problem: the body was not JSON.
        }
        return { ok: false, status: response.status, problem };
    }
    const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "copie-dmp.zip";
    return { ok: true, status: response.status, data: { blob: await response.blob(), fileName: name } };
}
