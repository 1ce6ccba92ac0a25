/**
 * oidc-provider's in-memory storage (its default), not typed by @types/oidc-provider: the
 * development provider keeps it for everything but its clients (oidc-provider.ts).
 */
declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  import type { Adapter } from 'oidc-provider';

  export function createMemoryAdapter(clockTolerance?: number): (model: string) => Adapter;
}
