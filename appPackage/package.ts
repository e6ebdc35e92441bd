// Builds the Teams app package: `npm run package [-- --env dev]`. The Agents Toolkit's own
// packaging (`teamsapp package`, teamsapp.yml's teamsApp/zipAppPackage) does the same in a
// deployment; this exists because the toolkit fetches the manifest schema from the web and cannot
// validate offline here. What it adds: it validates offline, and checks what the schema cannot.
//
// 1. Reads env/.env.<env> (default "local") and, if present, env/.env.<env>.user on top of it,
//    as the toolkit does.
// 2. Fills every ${{NAME}} placeholder in manifest.json and its localization files; any name
//    without a value is reported (all of them at once) and nothing is written.
// 3. Validates the manifest and localization files against the schemas bundled with
//    @microsoft/app-manifest, plus the rules the schema cannot express (icon sizes, outline
//    transparency, URLs inside validDomains, Teams' ten commands per list). That the command
//    lists name the bot's commands is tests/manifest.test.ts's, against the command table.
// 4. Writes appPackage/build/appPackage.<env>.zip (and manifest.<env>.json beside it).
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import JSZip from 'jszip';
import { AppManifestUtils, type TeamsManifest } from '@microsoft/app-manifest';

// pngjs ships no type declarations; this is the part of its API used here.
interface DecodedPng {
  width: number;
  height: number;
  data: Buffer;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PNG } = require('pngjs') as { PNG: { sync: { read(buf: Buffer): DecodedPng } } };

export const REPO_ROOT = path.resolve(__dirname, '..');

/** Variables that may legitimately be empty (a production app has no name suffix). */
export const MAY_BE_EMPTY = new Set(['APP_NAME_SUFFIX']);

/** Teams shows at most this many commands per command list (the schema allows 12 from v1.24). */
export const MAX_COMMANDS_PER_LIST = 10;

export const ICON_SIZES = { color: 192, outline: 32 } as const;

export type EnvVars = Record<string, string>;

export class PackageError extends Error {
  constructor(message: string, public readonly problems: string[] = []) {
    super(problems.length ? `${message}\n  - ${problems.join('\n  - ')}` : message);
    this.name = 'PackageError';
  }
}

// ---- environment files -----------------------------------------------------------------------

/**
 * Parses a Toolkit env file with node's own dotenv parser (`util.parseEnv`, as the Toolkit's
 * dotenv reads it): KEY=VALUE lines, # comments, '', "" or `` quotes ("" expands \n, and may span
 * lines), `export ` allowed. A leading byte order mark is dropped (node would keep it in the key).
 */
export function parseEnvFile(text: string): EnvVars {
  return util.parseEnv(text.replace(/^\uFEFF/, '')) as EnvVars;
}

export function isValidEnvName(env: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(env);
}

/** env/.env.<env>, then env/.env.<env>.user over it (secrets and personal overrides). */
export function loadEnv(env: string, root = REPO_ROOT): EnvVars {
  if (!isValidEnvName(env)) throw new PackageError(`"${env}" is not a valid environment name (letters, digits, - and _)`);
  const file = path.join(root, 'env', `.env.${env}`);
  if (!fs.existsSync(file)) {
    const known = fs.existsSync(path.join(root, 'env'))
      ? fs.readdirSync(path.join(root, 'env')).filter((f) => /^\.env\.[^.]+$/.test(f)).map((f) => f.slice(5))
      : [];
    throw new PackageError(`No environment file env/.env.${env}. Known environments: ${known.join(', ') || 'none'}`);
  }
  const vars = parseEnvFile(fs.readFileSync(file, 'utf8'));
  const user = `${file}.user`;
  if (fs.existsSync(user)) Object.assign(vars, parseEnvFile(fs.readFileSync(user, 'utf8')));
  return vars;
}

// ---- placeholders ----------------------------------------------------------------------------

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The distinct placeholder names in a text, in order of first appearance. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/** Names a text needs that `vars` does not give a value for. */
export function unfilled(text: string, vars: EnvVars): string[] {
  return placeholders(text).filter((n) => vars[n] === undefined || (vars[n] === '' && !MAY_BE_EMPTY.has(n)));
}

/**
 * Replaces every ${{NAME}} with its value. Values are inserted into JSON string literals, so
 * they are JSON-escaped. Throws a PackageError naming every unfilled variable.
 */
export function fill(text: string, vars: EnvVars, what = 'template'): string {
  const missing = unfilled(text, vars);
  if (missing.length) {
    throw new PackageError(
      `${what} needs values for ${missing.length} variable(s); set them in the env file (or run teamsapp provision)`,
      missing,
    );
  }
  return text.replace(PLACEHOLDER, (_m, name: string) => JSON.stringify(vars[name]).slice(1, -1));
}

// ---- validation ------------------------------------------------------------------------------

type Json = Record<string, unknown>;

export async function validateManifest(manifest: Json): Promise<string[]> {
  if (typeof manifest.$schema !== 'string') return ['manifest has no $schema'];
  return AppManifestUtils.validateAgainstSchema(manifest as unknown as TeamsManifest);
}

/** Escapes a "]" that closes no character class: some bundled patterns are invalid with the /u flag. */
export function escapeLoneBrackets(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    else if (c === ']') {
      out += '\\]';
      continue;
    }
    out += c;
  }
  return out;
}

/**
 * Validates a localization file against the bundled MicrosoftTeams.Localization schema named by
 * its $schema. The v1.30 file has two patterns ajv cannot compile in unicode mode (activity
 * types); they are repaired first, which changes nothing for any other key.
 */
export async function validateLocalization(loc: Json): Promise<string[]> {
  if (typeof loc.$schema !== 'string') return ['localization file has no $schema'];
  const schema = (await AppManifestUtils.fetchSchema(loc.$schema)) as unknown as Json;
  const patterns = schema.patternProperties as Record<string, unknown> | undefined;
  if (patterns) {
    for (const key of Object.keys(patterns)) {
      try {
        new RegExp(key, 'u');
      } catch {
        const fixed = escapeLoneBrackets(key);
        patterns[fixed] = patterns[key];
        delete patterns[key];
      }
    }
  }
  return AppManifestUtils.validateAgainstSchema(loc as unknown as TeamsManifest, schema as never);
}

/** Width and height from a PNG's IHDR chunk; undefined if it is not a PNG. */
export function pngSize(buf: Buffer): { width: number; height: number } | undefined {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (buf.length < 24 || !buf.subarray(0, 8).equals(sig) || buf.toString('ascii', 12, 16) !== 'IHDR') return undefined;
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/** Problems with an icon: wrong size; for the outline, anything but white on transparent. */
export function checkIcon(kind: 'color' | 'outline', buf: Buffer): string[] {
  const size = pngSize(buf);
  const want = ICON_SIZES[kind];
  if (!size) return [`${kind} icon is not a PNG`];
  if (size.width !== want || size.height !== want) {
    return [`${kind} icon must be ${want}x${want} pixels, is ${size.width}x${size.height}`];
  }
  const png = PNG.sync.read(buf);
  const problems: string[] = [];
  let transparent = 0;
  let coloured = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const [r, g, b, a] = [png.data[i], png.data[i + 1], png.data[i + 2], png.data[i + 3]];
    if (a === 0) transparent++;
    else if (kind === 'outline' && (r < 245 || g < 245 || b < 245)) coloured++;
  }
  const pixels = png.width * png.height;
  if (kind === 'outline') {
    if (coloured) problems.push(`outline icon must be white on transparent; ${coloured} pixel(s) are coloured`);
    if (transparent < pixels / 4) problems.push('outline icon must have a transparent background');
    const corners = [0, png.width - 1, (png.height - 1) * png.width, pixels - 1];
    if (corners.some((p) => png.data[p * 4 + 3] !== 0)) problems.push('outline icon corners must be fully transparent');
  } else if (transparent === pixels) {
    problems.push('color icon is empty');
  }
  return problems;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

interface CommandList {
  scopes?: string[];
  commands?: { title?: string }[];
}

/** Rules of Teams and of this app that the JSON schema does not express. */
export function checkManifestRules(manifest: Json): string[] {
  const problems: string[] = [];
  const domains = (manifest.validDomains as string[] | undefined) ?? [];
  const allowed = (host: string) => domains.some((d) => d === host || (d.startsWith('*.') && host.endsWith(d.slice(1))));
  const urls: [string, string][] = [];
  for (const [i, t] of ((manifest.staticTabs as Json[] | undefined) ?? []).entries()) {
    for (const k of ['contentUrl', 'websiteUrl']) if (typeof t[k] === 'string') urls.push([`staticTabs[${i}].${k}`, t[k] as string]);
  }
  for (const [i, t] of ((manifest.configurableTabs as Json[] | undefined) ?? []).entries()) {
    if (typeof t.configurationUrl === 'string') urls.push([`configurableTabs[${i}].configurationUrl`, t.configurationUrl]);
  }
  for (const [where, url] of urls) {
    const host = hostOf(url);
    if (!host) problems.push(`${where} is not a URL: ${url}`);
    else if (!url.startsWith('https://')) problems.push(`${where} must use https: ${url}`);
    else if (!allowed(host)) problems.push(`${where} host ${host} is not in validDomains`);
  }
  const bots = (manifest.bots as { commandLists?: CommandList[] }[] | undefined) ?? [];
  for (const [b, bot] of bots.entries()) {
    const seenScopes = new Set<string>();
    for (const [l, list] of (bot.commandLists ?? []).entries()) {
      for (const s of list.scopes ?? []) {
        if (seenScopes.has(s)) problems.push(`bots[${b}].commandLists: scope ${s} has more than one list`);
        seenScopes.add(s);
      }
      const commands = list.commands ?? [];
      if (commands.length > MAX_COMMANDS_PER_LIST) {
        problems.push(`bots[${b}].commandLists[${l}] has ${commands.length} commands; Teams shows ${MAX_COMMANDS_PER_LIST}`);
      }
    }
  }
  return problems;
}

/** The files a manifest refers to, relative to appPackage/: icons and localization files. */
export function referencedFiles(manifest: Json): string[] {
  const icons = (manifest.icons ?? {}) as Record<string, string>;
  const loc = (manifest.localizationInfo ?? {}) as { defaultLanguageFile?: string; additionalLanguages?: { file: string }[] };
  return [
    ...Object.values(icons),
    ...(loc.defaultLanguageFile ? [loc.defaultLanguageFile] : []),
    ...(loc.additionalLanguages ?? []).map((l) => l.file),
  ];
}

// ---- build -----------------------------------------------------------------------------------

export interface BuildOptions {
  env?: string;
  /** Repository root (holds env/ and appPackage/); defaults to this repository. */
  root?: string;
  /** Where the zip goes; defaults to <root>/appPackage/build. */
  outDir?: string;
  /** Variables to use instead of reading env files. */
  vars?: EnvVars;
}

export interface BuildResult {
  zipPath: string;
  manifest: Json;
  /** Entries in the zip. */
  files: string[];
}

/** A fixed timestamp for zip entries, so the same inputs always give the same zip. */
const ZIP_DATE = new Date(Date.UTC(2024, 0, 1));

export async function build(opts: BuildOptions = {}): Promise<BuildResult> {
  const env = opts.env ?? 'local';
  const root = opts.root ?? REPO_ROOT;
  const dir = path.join(root, 'appPackage');
  const vars = opts.vars ?? loadEnv(env, root);

  const manifestText = fill(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'), vars, 'appPackage/manifest.json');
  let manifest: Json;
  try {
    manifest = JSON.parse(manifestText) as Json;
  } catch (e) {
    throw new PackageError(`appPackage/manifest.json is not valid JSON after filling placeholders: ${(e as Error).message}`);
  }

  const problems: string[] = [];
  problems.push(...(await validateManifest(manifest)).map((p) => `manifest.json: ${p}`));
  problems.push(...checkManifestRules(manifest).map((p) => `manifest.json: ${p}`));

  const contents = new Map<string, Buffer>();
  contents.set('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2) + '\n'));
  const icons = (manifest.icons ?? {}) as Record<string, string>;
  for (const name of referencedFiles(manifest)) {
    if (name.includes('/') || name.includes('\\')) {
      problems.push(`${name}: Teams needs every file at the top of the package`);
      continue;
    }
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) {
      problems.push(`${name}: referenced by the manifest but missing from appPackage/`);
      continue;
    }
    let data = fs.readFileSync(file);
    const kind = (['color', 'outline'] as const).find((k) => icons[k] === name);
    if (kind) {
      problems.push(...checkIcon(kind, data).map((p) => `${name}: ${p}`));
    } else if (name.endsWith('.json')) {
      const text = fill(data.toString('utf8'), vars, `appPackage/${name}`);
      try {
        const loc = JSON.parse(text) as Json;
        problems.push(...(await validateLocalization(loc)).map((p) => `${name}: ${p}`));
        data = Buffer.from(JSON.stringify(loc, null, 2) + '\n');
      } catch (e) {
        problems.push(`${name}: not valid JSON (${(e as Error).message})`);
      }
    }
    contents.set(name, data);
  }
  if (problems.length) throw new PackageError(`The app package for "${env}" is not valid`, problems);

  const zip = new JSZip();
  for (const [name, data] of contents) zip.file(name, data, { date: ZIP_DATE });
  const outDir = opts.outDir ?? path.join(dir, 'build');
  fs.mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, `appPackage.${env}.zip`);
  fs.writeFileSync(zipPath, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  fs.writeFileSync(path.join(outDir, `manifest.${env}.json`), contents.get('manifest.json')!);
  return { zipPath, manifest, files: [...contents.keys()] };
}

// ---- command line ----------------------------------------------------------------------------

const USAGE = 'Usage: npm run package [-- --env <name>]';

export function parseArgs(argv: string[]): { env: string } {
  let env: string;
  try {
    ({ env } = util.parseArgs({ args: argv, options: { env: { type: 'string', short: 'e', default: 'local' } }, strict: true }).values);
  } catch (e) {
    const { code, message } = e as { code?: string; message: string };
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new PackageError('--env needs a name, e.g. --env dev');
    const arg = /'([^']*)'/.exec(message)?.[1] ?? message;
    throw new PackageError(`Unknown argument "${arg}". ${USAGE}`);
  }
  if (!env) throw new PackageError('--env needs a name, e.g. --env dev');
  return { env };
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  try {
    const { env } = parseArgs(argv);
    const result = await build({ env });
    console.log(`Wrote ${path.relative(process.cwd(), result.zipPath)} (${result.files.join(', ')})`);
    return 0;
  } catch (e) {
    console.error(e instanceof PackageError ? e.message : e);
    return 1;
  }
}

if (require.main === module) {
  void main().then((code) => {
    process.exitCode = code;
  });
}
