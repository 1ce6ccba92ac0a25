import { z } from 'zod';

/**
 * Every setting of the service, read from the environment once at start.
 * A bad value stops the process with one line naming the variable, so an
 * operator never has to read a stack trace to fix a deployment.
 */

export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`${variable}: ${detail}`);
    this.name = 'ConfigError';
  }
}

const onOff = z
  .enum(['on', 'off', 'true', 'false', '1', '0'])
  .transform((v) => v === 'on' || v === 'true' || v === '1');

/** Comma-separated IP addresses or CIDR ranges, e.g. "10.0.0.5, 10.1.0.0/16"; empty: none. */
const addressList = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((a) => a.trim()).filter((a) => a !== ''))
  .pipe(z.array(z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], 'must be IP addresses or CIDR ranges separated by commas')));

/** Each entry: the variable, its schema, its default (by environment), and a line for the README table. */
const settings = {
  NODE_ENV: z.enum(['development', 'production', 'test']),
  PORT: z.coerce.number().int().min(1).max(65535),
  HOST: z.string().min(1),
  TRUSTED_PROXIES: addressList,
  PUBLIC_URL: z.url(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATA_DIR: z.string().min(1),
  MASTER_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes encoded in base64')
    .optional(),
  DEMO_DATA: onOff,
  DEV_OUTBOX: onOff,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3),
  SMS_GATEWAY_URL: z.url().optional(),
  PRINT_QUEUE_DIR: z.string().min(1),
  BLOB_STORE: z.string().regex(/^(file:|s3:\/\/)/, 'must start with file: or s3://'),
  MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024),
  AUDIT_SIGNING_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be a 32-byte Ed25519 seed encoded in base64')
    .optional(),
  /** What an attacker holding the service's keys could still rewrite unnoticed (README, "The access history"). */
  AUDIT_CHECKPOINT_MINUTES: z.coerce.number().int().min(1).max(60),
  DEV_OIDC_PROVIDER: onOff,
  PSC_ISSUER: z.url().optional(),
  PSC_CLIENT_ID: z.string().min(1).optional(),
  PSC_CLIENT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
} as const;

type Settings = typeof settings;
export type Config = { [K in keyof Settings]: z.output<Settings[K]> };

function defaults(nodeEnv: string): Record<keyof Settings, string | undefined> {
  const dev = nodeEnv !== 'production';
  return {
    NODE_ENV: 'development',
    PORT: '3000',
    HOST: 'localhost',
    // Nobody's X-Forwarded-For is believed unless the operator names the load balancer.
    TRUSTED_PROXIES: undefined,
    PUBLIC_URL: undefined, // derived from PORT below
    DATABASE_URL: undefined,
    DATA_DIR: './data',
    MASTER_KEY: undefined,
    DEMO_DATA: dev ? 'on' : 'off',
    DEV_OUTBOX: dev ? 'on' : 'off',
    LOG_LEVEL: nodeEnv === 'test' ? 'silent' : 'info',
    SMTP_URL: undefined,
    MAIL_FROM: 'Mon DMP <ne-pas-repondre@dmp.localhost>',
    SMS_GATEWAY_URL: undefined,
    PRINT_QUEUE_DIR: undefined, // derived from DATA_DIR below
    BLOB_STORE: undefined, // derived from DATA_DIR below
    MAX_UPLOAD_BYTES: String(20 * 1024 * 1024),
    AUDIT_SIGNING_KEY: undefined,
    AUDIT_CHECKPOINT_MINUTES: '5',
    DEV_OIDC_PROVIDER: dev ? 'on' : 'off',
    PSC_ISSUER: undefined, // when unset: the development provider, ${PUBLIC_URL}/dev/oidc (src/accounts/psc-settings.ts)
    PSC_CLIENT_ID: dev ? 'opendmp-dev' : undefined,
    PSC_CLIENT_SECRET: dev ? 'dev-only-secret-never-in-production' : undefined,
  };
}

/** Reads and validates the configuration; throws ConfigError on the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? 'development';
  const fallback = defaults(nodeEnv);
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(settings) as [keyof Settings, z.ZodType][]) {
    let raw = env[name] === '' ? undefined : (env[name] ?? fallback[name]);
    if (name === 'PUBLIC_URL' && raw === undefined) raw = `http://localhost:${String(out.PORT)}`;
    if (name === 'PRINT_QUEUE_DIR' && raw === undefined) raw = `${String(out.DATA_DIR)}/print-queue`;
    if (name === 'BLOB_STORE' && raw === undefined) raw = `file:${String(out.DATA_DIR)}/blobs`;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const shown = raw === undefined ? 'missing' : `got "${raw}"`;
      throw new ConfigError(name, `${issue?.message ?? 'invalid value'} (${shown})`);
    }
    out[name] = parsed.data;
  }
  const config = out as Config;
  refuseDevelopmentDefaultsInProduction(config);
  return config;
}

/** Production must never run on a convenience meant for a laptop. */
function refuseDevelopmentDefaultsInProduction(config: Config): void {
  if (config.NODE_ENV !== 'production') return;
  if (!config.MASTER_KEY) throw new ConfigError('MASTER_KEY', 'required in production (32 bytes in base64)');
  if (config.DEV_OUTBOX) throw new ConfigError('DEV_OUTBOX', 'the development outbox must be off in production');
  if (config.DEMO_DATA) throw new ConfigError('DEMO_DATA', 'demo data must be off in production');
  if (!config.AUDIT_SIGNING_KEY) throw new ConfigError('AUDIT_SIGNING_KEY', 'required in production (signs the access history checkpoints)');
  if (!config.SMTP_URL) throw new ConfigError('SMTP_URL', 'required in production (codes and notifications go by email)');
  if (!config.SMS_GATEWAY_URL) throw new ConfigError('SMS_GATEWAY_URL', 'required in production (codes go by SMS)');
  if (config.DEV_OIDC_PROVIDER) throw new ConfigError('DEV_OIDC_PROVIDER', 'the development OpenID provider must be off in production');
  if (!config.PSC_ISSUER?.startsWith('https://')) throw new ConfigError('PSC_ISSUER', 'required in production (the Pro Santé Connect issuer, https://…)');
  if (!config.PSC_CLIENT_ID) throw new ConfigError('PSC_CLIENT_ID', 'required in production (given by Pro Santé Connect)');
  if (!config.PSC_CLIENT_SECRET) throw new ConfigError('PSC_CLIENT_SECRET', 'required in production (given by Pro Santé Connect)');
  if (!config.DATABASE_URL) {
    throw new ConfigError('DATABASE_URL', 'required in production (the embedded database is for development)');
  }
}
