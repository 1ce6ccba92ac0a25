/**
 * The JSON answers of the API, as types generated from its OpenAPI document (api-types.ts, by
 * `npm run api:types`): a page names the route it calls instead of copying the server's shapes,
 * so a change of an answer on the server shows here as a type error.
 */
import type { paths } from "./api-types";

type Method = "get" | "post" | "put" | "delete";
type Success = 200 | 201 | 202;
type Responses<P extends keyof paths, M extends Method> = paths[P][M] extends { responses: infer R } ? R : never;
type JsonOf<R> = R extends { content: { "application/json": infer T } } ? T : never;

/** The JSON body of a successful answer (200, 201 or 202) of `M P`, e.g. `Answer<"/api/me", "get">`. */
export type Answer<P extends keyof paths, M extends Method> = JsonOf<Responses<P, M>[keyof Responses<P, M> & Success]>;
