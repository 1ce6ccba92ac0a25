import { ConfigError, loadConfig } from '../../platform';
import { agentAddCommand, agentDisableCommand } from './agents';
import { auditVerifyCommand } from './audit';
import { importCareHistoryCommand } from './care-history';
import { loadDirectoryCommand } from './directory';
import { migrateCommand } from './migrate';
import { outboxDeadCommand } from './outbox';
import { recordsPurgeCommand } from './records';
import { serveCommand } from './serve';
import { fhirClientAddCommand, fhirClientDisableCommand } from './software-clients';

/**
 * The service's command line: `serve`, `migrate`, `directory:load`, `audit:verify`, `outbox:dead`,
 * `agent:add`, `agent:disable`, `fhir:client:add`, `fhir:client:disable`, `care-history:import`, `records:purge`.
 * Operators read its output, so failures are one clear line, never a stack.
 */

const commands: Record<string, (args: string[]) => Promise<void>> = {
  serve: (args) => serveCommand(loadConfig(), args),
  migrate: () => migrateCommand(loadConfig()),
  'directory:load': (args) => loadDirectoryCommand(loadConfig(), args),
  'audit:verify': (args) => auditVerifyCommand(loadConfig(), args),
  'outbox:dead': () => outboxDeadCommand(loadConfig()),
  'agent:add': (args) => agentAddCommand(loadConfig(), args),
  'agent:disable': (args) => agentDisableCommand(loadConfig(), args),
  'fhir:client:add': (args) => fhirClientAddCommand(loadConfig(), args),
  'fhir:client:disable': (args) => fhirClientDisableCommand(loadConfig(), args),
  'care-history:import': (args) => importCareHistoryCommand(loadConfig(), args),
  'records:purge': (args) => recordsPurgeCommand(loadConfig(), args),
};

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(`Usage: tsx src/app/cli/main.ts <${Object.keys(commands).join('|')}> [arguments]`);
    process.exit(2);
  }
  await command(args);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
  } else {
    console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
