/**
 * `npm run package`: builds dist/appPackage.zip for Teams (upload in Teams → Apps → Manage your apps
 * → Upload an app, or in the Teams Developer Portal) from appPackage/manifest.json, with
 * placeholders filled from the environment:
 *   ${BOT_ID}        MicrosoftAppId (required): the bot's Azure app registration
 *   ${TAB_URL}       PUBLIC_URL (required): the bot's public https origin, e.g. https://bot.example.com
 *   ${BOT_DOMAIN}    its host name (validDomains, the SSO resource)
 *   ${APP_VERSION}   APP_VERSION, else package.json's version
 *   ${SSO_CLIENT_ID} TAB_SSO_CLIENT_ID, else MicrosoftAppId (one app registration for bot and tab)
 *   ${SSO_RESOURCE}  the tab's Application ID URI: api://<host>/<client id>, or api://<host>/botid-<bot id>
 *                    when bot and tab share the registration (the form Teams expects for a bot with a tab)
 *   ${WEBSITE_URL}   WEBSITE_URL, else the bot's page about the app: PUBLIC_URL/tab/about.html
 *   ${PRIVACY_URL}   PRIVACY_URL, else PUBLIC_URL/tab/privacy.html
 *   ${TERMS_URL}     TERMS_URL, else PUBLIC_URL/tab/terms.html
 *                    (the developer links Teams shows on the app's page: never the «Решения» tab itself)
 * The manifest is checked against the Teams JSON schema (from @microsoft/app-manifest) before zipping.
 * Options: --out <file> (default dist/appPackage.zip); --icons redraws appPackage/color.png and
 * outline.png (pngjs) instead.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { zipSync } from 'fflate';
import { PNG } from 'pngjs';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const appPackageDir = join(repoRoot, 'appPackage');
/** The manifest schema version appPackage/manifest.json is written for. */
export const MANIFEST_VERSION = '1.22';

export class PackageError extends Error {
  constructor(readonly problems: string[]) {
    super(`Cannot build the Teams app package:\n- ${problems.join('\n- ')}`);
    this.name = 'PackageError';
  }
}

export interface PackageSettings {
  botId: string;
  /** https origin without a trailing slash. */
  publicUrl: string;
  version: string;
  ssoClientId: string;
  /** The developer links on the app's page in Teams (https). */
  websiteUrl: string;
  privacyUrl: string;
  termsUrl: string;
}

/** Developer links: variable, and the page of the bot's own site used when it is not set. */
const DEVELOPER_LINKS = {
  websiteUrl: { env: 'WEBSITE_URL', page: '/tab/about.html' },
  privacyUrl: { env: 'PRIVACY_URL', page: '/tab/privacy.html' },
  termsUrl: { env: 'TERMS_URL', page: '/tab/terms.html' },
} as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

function isHttpsUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' && !!url.hostname && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** Reads the settings; throws {@link PackageError} listing everything missing or wrong. */
export function settingsFromEnv(env: Record<string, string | undefined>): PackageSettings {
  const problems: string[] = [];
  const str = (name: string) => (env[name] ?? '').trim();
  const botId = str('MicrosoftAppId');
  if (!botId) problems.push('MicrosoftAppId is not set: the bot\'s Azure app registration id (a GUID) is the app id and the bot id in the manifest');
  else if (!GUID.test(botId)) problems.push(`MicrosoftAppId must be a GUID, got "${botId}"`);
  const urlText = str('PUBLIC_URL');
  let publicUrl = '';
  if (!urlText) problems.push('PUBLIC_URL is not set: the bot\'s public https address, e.g. https://bot.example.com (the tab is served at /tab/)');
  else {
    try {
      const url = new URL(urlText);
      if (url.protocol !== 'https:' || url.pathname !== '/' || url.search || url.hash || url.username) throw new Error('not an origin');
      publicUrl = url.origin;
    } catch {
      problems.push(`PUBLIC_URL must be an https origin such as https://bot.example.com (no path), got "${urlText}"`);
    }
  }
  const version = str('APP_VERSION') || (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  if (!SEMVER.test(version)) problems.push(`APP_VERSION must be a version like 1.2.3, got "${version}"`);
  const ssoClientId = str('TAB_SSO_CLIENT_ID') || botId;
  if (str('TAB_SSO_CLIENT_ID') && !GUID.test(ssoClientId)) problems.push(`TAB_SSO_CLIENT_ID must be a GUID, got "${ssoClientId}"`);
  const links = Object.fromEntries(
    Object.entries(DEVELOPER_LINKS).map(([key, { env: name, page }]) => {
      const text = str(name);
      if (!text) return [key, publicUrl && `${publicUrl}${page}`];
      if (!isHttpsUrl(text)) problems.push(`${name} must be an https address such as https://intranet.example.com${page.replace('/tab', '')}, got "${text}"`);
      return [key, text];
    }),
  ) as Pick<PackageSettings, keyof typeof DEVELOPER_LINKS>;
  if (problems.length) throw new PackageError(problems);
  return { botId, publicUrl, version, ssoClientId, ...links };
}

/** Fills the placeholders of a manifest template; any placeholder left over is an error. */
export function renderManifest(template: string, s: PackageSettings): Record<string, unknown> {
  const values: Record<string, string> = {
    BOT_ID: s.botId,
    TAB_URL: s.publicUrl,
    BOT_DOMAIN: new URL(s.publicUrl).host,
    APP_VERSION: s.version,
    SSO_CLIENT_ID: s.ssoClientId,
    SSO_RESOURCE: `api://${new URL(s.publicUrl).host}/${s.ssoClientId === s.botId ? 'botid-' : ''}${s.ssoClientId}`,
    WEBSITE_URL: s.websiteUrl,
    PRIVACY_URL: s.privacyUrl,
    TERMS_URL: s.termsUrl,
  };
  // Values go in as JSON string content: a quote or backslash cannot break the document.
  const text = template.replace(/\$\{([A-Z_]+)\}/g, (whole, name: string) => (name in values ? JSON.stringify(values[name]).slice(1, -1) : whole));
  const left = [...new Set(text.match(/\$\{[^}]*\}/g) ?? [])];
  if (left.length) throw new PackageError([`appPackage/manifest.json has unknown placeholders: ${left.join(', ')}`]);
  return JSON.parse(text) as Record<string, unknown>;
}

/** The Teams manifest JSON schema shipped in @microsoft/app-manifest (no network). */
export function manifestSchema(version = MANIFEST_VERSION): Record<string, unknown> {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('@microsoft/app-manifest/package.json'));
  return JSON.parse(readFileSync(join(pkgDir, 'build', 'json-schemas', 'teams', `v${version}`, 'MicrosoftTeams.schema.json'), 'utf8')) as Record<string, unknown>;
}

/** Schema problems of a manifest, as "path message" lines; empty when valid. */
export async function validateManifest(manifest: Record<string, unknown>): Promise<string[]> {
  const { ManifestUtil } = await import('@microsoft/app-manifest');
  return ManifestUtil.validateManifestAgainstSchema(manifest as never, manifestSchema() as never);
}

/** The zip Teams takes: manifest.json and the two icons at its root. */
export async function buildPackage(s: PackageSettings, dir = appPackageDir): Promise<{ zip: Uint8Array; manifest: Record<string, unknown> }> {
  const manifest = renderManifest(readFileSync(join(dir, 'manifest.json'), 'utf8'), s);
  const problems = await validateManifest(manifest);
  if (problems.length) throw new PackageError(problems.map((p) => `manifest.json${p}`));
  const icons = manifest.icons as { color: string; outline: string };
  const zip = zipSync({
    'manifest.json': new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`),
    [icons.color]: readFileSync(join(dir, icons.color)),
    [icons.outline]: readFileSync(join(dir, icons.outline)),
  });
  return { zip, manifest };
}

// ---- icons ----

/** Draws at 4× and averages down: smooth edges without a graphics library. */
function draw(size: number, paint: (x: number, y: number) => [number, number, number, number]): Buffer {
  const png = new PNG({ width: size, height: size });
  const k = 4;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < k; sy++)
        for (let sx = 0; sx < k; sx++) {
          const [pr, pg, pb, pa] = paint((x + (sx + 0.5) / k) / size, (y + (sy + 0.5) / k) / size);
          r += pr * pa; g += pg * pa; b += pb * pa; a += pa;
        }
      const i = (y * size + x) * 4;
      png.data[i] = a ? Math.round(r / a) : 0;
      png.data[i + 1] = a ? Math.round(g / a) : 0;
      png.data[i + 2] = a ? Math.round(b / a) : 0;
      png.data[i + 3] = Math.round((255 * a) / (k * k));
    }
  return PNG.sync.write(png);
}

/** A speech bubble with a check mark, in unit coordinates. */
function bubble(x: number, y: number, inset: number): boolean {
  const [x0, y0, x1, y1, r] = [0.16 + inset, 0.2 + inset, 0.84 - inset, 0.7 - inset, 0.1];
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  const inBody = x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  // The tail: a triangle under the bubble's left part.
  const inTail = y > y1 - 0.02 && y < 0.84 - inset * 1.5 && x > 0.3 + inset && x < 0.3 + inset + (0.84 - inset * 1.5 - y) * 1.1;
  return inBody || inTail;
}

function onCheck(x: number, y: number, width: number): boolean {
  const dist = (ax: number, ay: number, bx: number, by: number) => {
    const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
    return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
  };
  return Math.min(dist(0.34, 0.45, 0.46, 0.57), dist(0.46, 0.57, 0.67, 0.34)) <= width / 2;
}

export function drawIcons(dir = appPackageDir): void {
  const accent: [number, number, number, number] = [0x5b, 0x5f, 0xc7, 1];
  const white: [number, number, number, number] = [255, 255, 255, 1];
  const clear: [number, number, number, number] = [0, 0, 0, 0];
  // Colour: white bubble on the accent colour, check mark in the accent colour (192×192, full bleed).
  writeFileSync(join(dir, 'color.png'), draw(192, (x, y) => (bubble(x, y, 0) ? (onCheck(x, y, 0.07) ? accent : white) : accent)));
  // Outline: white on transparent only (32×32), as Teams requires.
  writeFileSync(join(dir, 'outline.png'), draw(32, (x, y) => (bubble(x, y, -0.1) && !bubble(x, y, -0.02) ? white : onCheck(x, y, 0.09) ? white : clear)));
}

// ---- command line ----

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--icons')) {
    drawIcons();
    console.log(`icons written: ${join(appPackageDir, 'color.png')}, ${join(appPackageDir, 'outline.png')}`);
    return;
  }
  const outAt = argv.indexOf('--out');
  const out = resolve(outAt >= 0 && argv[outAt + 1] ? argv[outAt + 1] : join(repoRoot, 'dist', 'appPackage.zip'));
  const settings = settingsFromEnv(process.env);
  const { zip, manifest } = await buildPackage(settings);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, zip);
  console.log(`${out}: Teams app package ${manifest.version} for bot ${settings.botId}, tab ${settings.publicUrl}/tab/, SSO app ${settings.ssoClientId}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e: Error) => {
    console.error(e instanceof PackageError ? e.message : e);
    process.exit(1);
  });
}
