// npm run bench: runs every tests/bench/*.bench.ts in turn and prints its figures.
// Each module exports `title` and `run(): Promise<string[]>` (the lines to print).
// `npm run bench -- matching checkins` runs only the named ones.
import * as fs from 'fs';
import * as path from 'path';

interface Bench {
  title: string;
  run(): Promise<string[]>;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => !only.length || only.some((o) => f.startsWith(o)))
    .sort();
  console.log(`Reverse Mentor benchmarks · node ${process.version} · ${new Date().toISOString()}`);
  let failed = 0;
  for (const file of files) {
    const bench = (await import(path.join(__dirname, file))) as Bench;
    console.log(`\n## ${bench.title ?? file}`);
    const started = Date.now();
    try {
      for (const line of await bench.run()) console.log(line);
    } catch (e) {
      failed++;
      console.log(`FAILED: ${(e as Error).stack ?? e}`);
    }
    console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  process.exit(failed ? 1 : 0);
}

void main();
