/**
 * Starts the fake cloud from a terminal:
 *
 *   node --import tsx test/fake-cloud/cli.ts [--customers 40] [--port 8443] [--seed 1]
 *
 * Prints the port, the SPKI pin and the Chromium flags, then runs until SIGINT/SIGTERM.
 */
import { startFakeCloud } from './server';

function parseArgs(argv: readonly string[]): { customers: number; port: number; seed: number } {
  const out = { customers: 40, port: 8443, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=') ? (arg.split('=', 2) as [string, string]) : [arg, undefined];
    const key = flag.replace(/^--/, '');
    if (key === 'help' || key === 'h') {
      console.log('usage: cli.ts [--customers 40] [--port 8443 (0 = any)] [--seed 1]');
      process.exit(0);
    }
    if (!(key in out)) throw new Error(`unknown option ${flag}`);
    const value = inline ?? argv[++i];
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a non-negative integer`);
    out[key as keyof typeof out] = n;
  }
  if (out.customers < 1 || out.customers > 10_000) throw new Error('--customers must be 1…10000');
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const cloud = await startFakeCloud({ customers: args.customers, port: args.port, seed: args.seed });
  console.log(`fake cloud listening on https://127.0.0.1:${cloud.port}`);
  console.log(`customers: ${cloud.world.customers.length}, relationships: ${cloud.world.relationships.length}, seed: ${args.seed}`);
  console.log(`partner tenant: ${cloud.world.partner.tenantId} (${cloud.world.partner.displayName})`);
  console.log(`spki pin: ${cloud.spkiPin}`);
  console.log(`host resolver rules: ${cloud.hostResolverRules}`);
  console.log('chromium flags:');
  for (const flag of cloud.chromiumArgs()) console.log(`  "${flag}"`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    cloud.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
