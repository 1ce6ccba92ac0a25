/**
 * The part of oidc-provider 9 that the development provider uses. The package ships no types
 * (they live in @types/oidc-provider, which the project does not install); this declares only
 * what dev-provider.ts calls, so that a misuse still fails the type check.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type Claims = Record<string, unknown>;

  export interface Account {
    accountId: string;
    claims(use: string, scope: string): Claims | Promise<Claims>;
  }

  export interface Grant {
    readonly jti: string;
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }

  export interface ProviderContext {
    oidc: {
      readonly client?: { readonly clientId: string };
      readonly session?: { readonly accountId?: string };
      readonly result?: { readonly login?: unknown };
      readonly requestParamScopes: Set<string>;
      readonly provider: Provider;
    };
    type: string;
    body: unknown;
  }

  export interface Token {
    readonly accountId?: string;
    readonly clientId?: string;
  }

  export interface InteractionDetails {
    readonly uid: string;
    readonly prompt: { readonly name: string; readonly reasons: readonly string[] };
    readonly params: Record<string, unknown>;
  }

  export type InteractionResults =
    | { login: { accountId: string; acr?: string; amr?: string[]; remember?: boolean } }
    | { error: string; error_description?: string };

  export interface Configuration {
    [option: string]: unknown;
  }

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    readonly Grant: new (properties: { clientId: string; accountId: string }) => Grant;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionResult(req: IncomingMessage, res: ServerResponse, result: InteractionResults): Promise<string>;
    on(event: string, listener: (...args: any[]) => void): this;
  }

  export namespace interactionPolicy {
    class Check {
      constructor(reason: string, description: string, check: (ctx: ProviderContext) => boolean | Promise<boolean>);
      static readonly REQUEST_PROMPT: true;
      static readonly NO_NEED_TO_PROMPT: false;
    }
    interface Prompt {
      readonly name: string;
      readonly checks: Check[];
    }
    interface Policy extends Array<Prompt> {
      get(name: string): Prompt | undefined;
      remove(name: string): void;
    }
    function base(): Policy;
  }

  export default Provider;
}
