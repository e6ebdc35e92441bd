// Builds the tab into tab/dist: one ES module bundle (teams-js split into its own chunk, loaded
// only inside Teams), the HTML pages and the stylesheet. Checks the UI strings match in every
// language and prints the gzipped size of what a browser downloads.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const here = import.meta.dirname;
const dist = join(here, 'dist');
const { quiet } = parseArgs({ options: { quiet: { type: 'boolean', default: false } } }).values;

const langs = ['en', 'de', 'nl'].map((l) => [l, JSON.parse(readFileSync(join(here, 'src', 'i18n', `${l}.json`), 'utf8'))]);
const keys = Object.keys(langs[0][1]).sort().join('\n');
for (const [l, strings] of langs) {
  if (Object.keys(strings).sort().join('\n') !== keys) throw new Error(`tab/src/i18n/${l}.json has different keys from en.json`);
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
const { metafile } = await build({
  metafile: true,
  entryPoints: [join(here, 'src', 'main.ts')],
  outdir: dist, // flat: the server serves /tab/<file> only
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  target: ['chrome110', 'safari16', 'firefox110'],
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  tsconfig: join(here, 'tsconfig.json'),
});
cpSync(join(here, 'public'), dist, { recursive: true });

// The chunks main.js imports statically are announced in the pages, so the browser fetches them
// alongside main.js instead of only after it has parsed main.js (one round trip less before
// anything renders).
const mainImports = metafile.outputs[Object.keys(metafile.outputs).find((o) => o.endsWith('/main.js'))].imports
  .filter((i) => i.kind === 'import-statement')
  .map((i) => i.path.split('/').pop());
for (const page of readdirSync(dist).filter((f) => f.endsWith('.html'))) {
  const html = readFileSync(join(dist, page), 'utf8');
  if (!html.includes('src="main.js"')) continue;
  const links = mainImports.map((c) => `<link rel="modulepreload" href="${c}">`).join('\n  ');
  writeFileSync(join(dist, page), html.replace('<script type="module" src="main.js"></script>', `${links}\n  <script type="module" src="main.js"></script>`));
}

function files(dir) {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
}
const sizes = files(dist).filter((f) => !f.endsWith('.gz')).map((f) => ({ f: f.slice(dist.length + 1), raw: statSync(f).size, gz: gzipSync(readFileSync(f)).length }));
// Precompressed copies: the server sends file.gz to browsers that accept gzip.
for (const s of sizes) writeFileSync(join(dist, s.f + '.gz'), gzipSync(readFileSync(join(dist, s.f)), { level: 9 }));
const outsideTeams = sizes.filter((s) => !s.f.includes('teams-'));
const sum = (list, k) => list.reduce((a, s) => a + s[k], 0);
export const bundleReport = { total: sum(sizes, 'gz'), initial: sum(sizes.filter((s) => s.f === 'main.js' || s.f.endsWith('.css') || s.f === 'index.html'), 'gz') };
if (!quiet) {
  console.log(`tab built: ${sizes.length} files, ${(sum(sizes, 'raw') / 1024).toFixed(1)} KB, ${(sum(sizes, 'gz') / 1024).toFixed(1)} KB gzipped` +
    ` (${(sum(outsideTeams, 'gz') / 1024).toFixed(1)} KB without the teams-js chunk)`);
}
