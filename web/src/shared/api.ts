/**
 * Small helper to call the OpenDMP JSON API from the browser.
 *
 * - Sends `body` as JSON (FormData, Blob, URLSearchParams and ArrayBuffer are sent as is).
 * - On a non-GET request, copies the CSRF token from the `dmp_csrf` cookie into the
 *   `x-csrf-token` header (double-submit cookie).
 * - Never throws for HTTP or network errors: returns `{ ok: false, problem }`, where
 *   `problem` is the server's RFC 9457 `application/problem+json` body when there is one.
 */

/** RFC 9457 "problem details" object, as sent by the server on errors. */
export interface ProblemDetails {
    type?: string;
    title?: string;
    status?: number;
    detail?: string;
    instance?: string;
    [extension: string]: unknown;
}

export type ApiResult<T> =
    | { ok: true; status: number; data: T }
    | { ok: false; status: number; problem: ProblemDetails };

export interface ApiInit<T = unknown> extends Omit<RequestInit, "body"> {
    /** A value to send as JSON, or a FormData / Blob / URLSearchParams / ArrayBuffer sent as is. */
    body?: unknown;
    /** Optional check of the success payload, e.g. a zod schema's `parse`. If it throws, the result is an error. */
    parse?: (data: unknown) => T;
}

export const CSRF_COOKIE_NAME = "dmp_csrf";
export const CSRF_HEADER_NAME = "x-csrf-token";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Reads a cookie by name from `document.cookie`, or returns undefined. */
export function readCookie(name: string): string | undefined {
    if (typeof document === "undefined") {
        return undefined;
    }
    for (const part of document.cookie.split(";")) {
        const separator = part.indexOf("=");
        if (separator === -1) {
            continue;
        }
        if (part.slice(0, separator).trim() === name) {
            const value = part.slice(separator + 1).trim();
            try {
                return decodeURIComponent(value);
            } catch {
                return value;
            }
        }
    }
    return undefined;
}

function isRawBody(body: unknown): body is BodyInit {
    return (
        body instanceof FormData ||
        body instanceof Blob ||
        body instanceof URLSearchParams ||
        body instanceof ArrayBuffer
    );
}

function isProblemContentType(contentType: string | null): boolean {
    return contentType !== null && contentType.toLowerCase().includes("application/problem+json");
}

function isJsonContentType(contentType: string | null): boolean {
    return contentType !== null && /\bjson\b/i.test(contentType);
}

function defaultProblem(status: number, statusText: string): ProblemDetails {
    return {
        type: "about:blank",
        status,
        title: statusText !== "" ? statusText : `Erreur ${status}`
    };
}

/**
 * Calls the API at `path` (same origin only, e.g. "/api/v1/..." ) and returns a typed result.
 *
 * @example
 * const result = await apiFetch<{ id: string }>("/api/v1/things", { method: "POST", body: { name } });
 * if (!result.ok) showError(result.problem.title);
 */
export async function apiFetch<T = unknown>(
    path: string,
    init: ApiInit<T> = {}
): Promise<ApiResult<T>> {
    if (!path.startsWith("/") || path.startsWith("//")) {
        // Absolute URLs would send the CSRF token and cookies to another origin.
        throw new Error(`apiFetch attend un chemin du même site commençant par « / » : ${path}`);
    }

    const { body, parse, headers: initHeaders, ...rest } = init;
    const method = (rest.method ?? "GET").toUpperCase();
    const headers = new Headers(initHeaders);
    if (!headers.has("accept")) {
        headers.set("accept", "application/json, application/problem+json");
    }

    let requestBody: BodyInit | undefined;
    if (body !== undefined) {
        if (isRawBody(body)) {
            requestBody = body;
        } else {
            requestBody = JSON.stringify(body);
            if (!headers.has("content-type")) {
                headers.set("content-type", "application/json");
            }
        }
    }

    if (!SAFE_METHODS.has(method)) {
        const token = readCookie(CSRF_COOKIE_NAME);
        if (token !== undefined && !headers.has(CSRF_HEADER_NAME)) {
            headers.set(CSRF_HEADER_NAME, token);
        }
    }

    let response: Response;
    try {
        response = await fetch(path, {
            credentials: "same-origin",
            ...rest,
            method,
            headers,
            body: requestBody
        });
    } catch (error) {
        if (error instanceof DOMException && error.name === "AbortError") {
            throw error;
        }
        return {
            ok: false,
            status: 0,
            problem: {
                type: "about:blank",
                title: "Le service ne répond pas. Vérifiez votre connexion internet, puis réessayez."
            }
        };
    }

    const contentType = response.headers.get("content-type");

    if (!response.ok) {
        let problem = defaultProblem(response.status, response.statusText);
        if (isProblemContentType(contentType) || isJsonContentType(contentType)) {
            try {
                const parsed: unknown = await response.json();
                if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
                    problem = { ...problem, ...(parsed as ProblemDetails) };
                }
            } catch {
                // Keep the default problem: the body was not valid JSON.
            }
        }
        return { ok: false, status: response.status, problem };
    }

    let data: unknown = undefined;
    if (response.status !== 204 && response.status !== 205 && method !== "HEAD") {
        if (isJsonContentType(contentType)) {
            try {
                data = await response.json();
            } catch {
                return {
                    ok: false,
                    status: response.status,
                    problem: {
                        type: "about:blank",
                        status: response.status,
                        title: "La réponse du serveur est illisible."
                    }
                };
            }
        } else {
            data = await response.text();
        }
    }

    if (parse !== undefined) {
        try {
            return { ok: true, status: response.status, data: parse(data) };
        } catch {
            return {
                ok: false,
                status: response.status,
                problem: {
                    type: "about:blank",
                    status: response.status,
                    title: "La réponse du serveur n'a pas la forme attendue."
                }
            };
        }
    }
    return { ok: true, status: response.status, data: data as T };
}

/**
 * POSTs `body` as JSON and returns the answer as a Blob (e.g. a PDF), with the same
 * CSRF header and problem handling as `apiFetch`.
 */
export async function apiFetchBlob(path: string, body: unknown): Promise<ApiResult<Blob>> {
    if (!path.startsWith("/") || path.startsWith("//")) {
        throw new Error(`apiFetchBlob attend un chemin du même site commençant par « / » : ${path}`);
    }
    const headers = new Headers({ "content-type": "application/json" });
    const token = readCookie(CSRF_COOKIE_NAME);
    if (token !== undefined) {
        headers.set(CSRF_HEADER_NAME, token);
    }
    let response: Response;
    try {
        response = await fetch(path, {
            method: "POST",
            credentials: "same-origin",
            headers,
            body: JSON.stringify(body)
        });
    } catch {
        return {
            ok: false,
            status: 0,
            problem: {
                type: "about:blank",
                title: "Le service ne répond pas. Vérifiez votre connexion internet, puis réessayez."
            }
        };
    }
    if (!response.ok) {
        let problem = defaultProblem(response.status, response.statusText);
        const contentType = response.headers.get("content-type");
        if (isProblemContentType(contentType) || isJsonContentType(contentType)) {
            try {
                const parsed: unknown = await response.json();
                if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
                    problem = { ...problem, ...(parsed as ProblemDetails) };
                }
            } catch {
                // Keep the default problem.
            }
        }
        return { ok: false, status: response.status, problem };
    }
    return { ok: true, status: response.status, data: await response.blob() };
}

/** Saves a Blob as a file, through a temporary link with `download`. */
export function saveBlob(blob: Blob, fileName: string): void {
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = fileName;
    link.rel = "noopener";
    link.style.display = "none";
    document.body.appendChild(link);
    link.click();
    link.remove();
    // Give the browser time to start the download before the URL is released.
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
