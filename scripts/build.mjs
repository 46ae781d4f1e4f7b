/**
 * `npm run build` (and `prestart`): bundles the server into one CommonJS file, dist/server.bundle.cjs,
 * with esbuild, and copies scripts/bundleLoader.mjs to dist/server.js, which runs it with V8's code
 * cache. One file instead of a few thousand modules resolved, read and compiled one by one is most of
 * the start's module loading (README «Performance»). Plain JavaScript so it runs before anything is
 * compiled. dist/ sits under the package root, so src/packageRoot.ts still finds cards/, public/ and
 * node_modules/, and the bundle's `require` resolves the packages left outside it.
 * `--outfile <path>` writes the loader there and the bundle beside it (under the package root, for
 * the same reasons): the tests do.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfileAt = process.argv.indexOf('--outfile');
const loaderFile = outfileAt >= 0 ? process.argv[outfileAt + 1] : 'dist/server.js';
// The name scripts/bundleLoader.mjs looks for beside itself.
const outfile = join(dirname(loaderFile), `${basename(loaderFile, '.js')}.bundle.cjs`);

/** A hash of every module of src/domain: the knowledge-base cache's key for the code it bundles (src/bot/kbCache.ts). */
function domainHash() {
  const hash = createHash('sha256');
  const dir = join(root, 'src', 'domain');
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort()) {
    const bytes = readFileSync(entry);
    hash.update(`${relative(dir, entry)}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest('hex');
}

/**
 * Modules the start evaluates only because a package requires them at its top, though nothing the
 * first turn does uses them; each is required on its first use instead: the same module, evaluated
 * then (README «Performance», «The start»). A changed package file fails the build rather than
 * quietly loading it at start again.
 */
/** `NAME.default` read through `__importDefault` (TypeScript's output for a default import). */
const lazyDefault = (name, pkg) => [`const ${name} = __importDefault(require("${pkg}"));`, `let ${name}_0;const ${name}={get default(){return(${name}_0??=__importDefault(require("${pkg}"))).default}};`];
/** A namespace whose members are read at their use (`NAME.member`): the module is required on the first read. */
const lazyNamespace = (name, pkg, decl = 'const') => [`${decl} ${name} = require("${pkg}");`, `let ${name}_0;${decl} ${name}=new Proxy({},{get:(_,key)=>(${name}_0??=require("${pkg}"))[key]});`];
const connectorAuth = (files) => new RegExp(`node_modules[\\\\/]botframework-connector[\\\\/]lib[\\\\/]auth[\\\\/](${files})\\.js$`);
const DEFERRED = [
  {
    // axios with form-data, follow-redirects and proxy-from-env, for calls to other bots (skills): the bot makes none.
    files: /node_modules[\\/](botframework-connector[\\/]lib[\\/]auth[\\/]botFrameworkClientImpl|botbuilder[\\/]lib[\\/]botFrameworkHttpClient)\.js$/,
    replace: [lazyDefault('axios_1', 'axios')],
  },
  {
    // node-fetch (with whatwg-url and tr46's Unicode tables) and the HTTPS proxy agent, for the channel's OpenID keys: only with a MicrosoftAppId.
    files: connectorAuth('openIdMetadata'),
    replace: [lazyDefault('node_fetch_1', 'node-fetch'), lazyNamespace('https_proxy_agent_1', 'https-proxy-agent')],
  },
  {
    // cross-fetch (node-fetch again) for the Emulator's OAuth card emulation.
    files: /node_modules[\\/]botframework-connector[\\/]lib[\\/]emulatorApiClient\.js$/,
    replace: [lazyDefault('cross_fetch_1', 'cross-fetch')],
  },
  {
    // jsonwebtoken (with jws and semver): reads and verifies channel tokens, only with a MicrosoftAppId.
    files: connectorAuth('jwtTokenExtractor|skillValidation|emulatorValidation'),
    replace: [lazyNamespace('jsonwebtoken_1', 'jsonwebtoken')],
  },
  {
    // MSAL, for the bot's own tokens to the channel: only with a MicrosoftAppId.
    files: connectorAuth('msalAppCredentials|certificateAppCredentials|federatedAppCredentials'),
    replace: [lazyNamespace('msal_node_1', '@azure/msal-node')],
  },
  {
    // Azure identity, for MicrosoftAppType=UserAssignedMSI only.
    files: connectorAuth('jwtTokenProviderFactory'),
    replace: [lazyNamespace('identity_1', '@azure/identity')],
  },
  {
    // The HTTPS proxy agent of the SDK's HTTP pipeline: only when a proxy is configured.
    files: /node_modules[\\/]@typespec[\\/]ts-http-runtime[\\/]dist[\\/]commonjs[\\/]policies[\\/]proxyPolicy\.js$/,
    replace: [lazyNamespace('import_https_proxy_agent', 'https-proxy-agent', 'var')],
  },
  {
    // pg asks whether it runs on Cloudflare by building a `Response`, which loads Node's fetch (undici): only with DATABASE_URL, at the first connection.
    files: /node_modules[\\/]pg[\\/]lib[\\/]stream\.js$/,
    replace: [['const { getStream, getSecureStream } = getStreamFuncs()', 'let streamFuncs;const getStream=(ssl)=>(streamFuncs??=getStreamFuncs()).getStream(ssl);const getSecureStream=(options)=>(streamFuncs??=getStreamFuncs()).getSecureStream(options)']],
  },
  {
    // spdy (HTTP/2 with hpack and spdy-transport): restify uses it only for a server created with `spdy` options.
    files: /node_modules[\\/]restify[\\/]lib[\\/]server\.js$/,
    replace: [["var spdy = require('spdy');", "var spdy = { createServer: (options) => require('spdy').createServer(options) };"]],
  },
  {
    // restify's two dozen plugins (sshpk, pidusage, send, formidable…): the bot uses bodyParser; each is required when first read.
    files: /node_modules[\\/]restify[\\/]lib[\\/]plugins[\\/]index\.js$/,
    replace: [[/^(\s+)(\w+): require\(('[^']+')\)/gm, '$1get $2() { return require($3); }']],
  },
];
const lazyRequires = {
  name: 'lazy-requires',
  setup(b) {
    for (const { files, replace } of DEFERRED) {
      b.onLoad({ filter: files }, (args) => {
        let text = readFileSync(args.path, 'utf8');
        for (const [what, lazy] of replace) {
          const next = text.replace(what, lazy);
          if (next === text) return { errors: [{ text: `${args.path}: no ${what} to make lazy (scripts/build.mjs)` }] };
          text = next;
        }
        return { contents: text, loader: 'js' };
      });
    }
  },
};

const { outputFiles } = await build({
  absWorkingDir: root,
  entryPoints: ['src/bot/index.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  // CommonJS, so that the loader can compile it as a `vm.Script` with a code cache (Node 20 caches
  // no ES module's code); src/bot/index.ts has no top-level await for that reason.
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  // restify's optional native DTrace probes: loaded (and missed) at run time as before.
  external: ['dtrace-provider'],
  // The sources' `import.meta.url` (to find files beside the code) is the bundle's own URL.
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { BUNDLED_DOMAIN_HASH: JSON.stringify(domainHash()), 'import.meta.url': '__bundleUrl' },
  // Without comments and indentation the source V8 scans and keeps is a third smaller; names stay
  // (stack traces), and dist/server.js.map maps lines back to src/ and node_modules/.
  minifyWhitespace: true,
  plugins: [lazyRequires],
  logLevel: 'warning',
  write: false,
});

// esbuild leaves non-ASCII characters in regular expressions and comments; one of them makes V8 hold
// the whole 12 MB source as two bytes per character (≈ 20 MiB more resident). A \u escape means the
// same character in strings, regular expressions (a surrogate pair is one code point with the u
// flag), identifiers and comments.
const ascii = (text) => text.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
for (const file of outputFiles) {
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.path.endsWith('.cjs') ? ascii(file.text) : file.contents);
}
copyFileSync(join(root, 'scripts', 'bundleLoader.mjs'), loaderFile);
// The source map of the ES module bundle that dist/server.js was before the loader: stale.
rmSync(`${loaderFile}.map`, { force: true });
