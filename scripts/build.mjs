/**
 * `npm run build` (and `prestart`): bundles the server into one file, dist/server.js, with esbuild.
 * One file instead of a few thousand modules resolved, read and compiled one by one is most of the
 * start's module loading (README «Performance»). Plain JavaScript so it runs before anything is
 * compiled. dist/ sits under the package root, so src/packageRoot.ts still finds cards/, public/ and
 * node_modules/, and the `require` the banner creates resolves the packages left outside the bundle.
 * `--outfile <path>` writes elsewhere (under the package root, for the same reasons): the tests do.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfileAt = process.argv.indexOf('--outfile');
const outfile = outfileAt >= 0 ? process.argv[outfileAt + 1] : 'dist/server.js';

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
 * botframework-connector's and botbuilder's skill clients require axios (with form-data,
 * follow-redirects and proxy-from-env) at the top of their modules, which the SDK's index loads at
 * every start, though only a call to another bot (a skill) uses it; the bot makes none. Here those
 * two requires wait for the first use: the same module, evaluated then instead of at start. A
 * changed SDK file fails the build rather than quietly loading axios again.
 */
const AXIOS_REQUIRE = 'const axios_1 = __importDefault(require("axios"));';
const lazyAxios = {
  name: 'lazy-axios',
  setup(b) {
    b.onLoad({ filter: /node_modules[\\/](botframework-connector[\\/]lib[\\/]auth[\\/]botFrameworkClientImpl|botbuilder[\\/]lib[\\/]botFrameworkHttpClient)\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(AXIOS_REQUIRE)) return { errors: [{ text: `${args.path}: no "${AXIOS_REQUIRE}" to make lazy (scripts/build.mjs)` }] };
      return { contents: text.replace(AXIOS_REQUIRE, 'let axios_0;const axios_1={get default(){return(axios_0??=__importDefault(require("axios"))).default}};'), loader: 'js' };
    });
  },
};

const { outputFiles } = await build({
  absWorkingDir: root,
  entryPoints: ['src/bot/index.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  // restify's optional native DTrace probes: loaded (and missed) at run time as before.
  external: ['dtrace-provider'],
  // The CommonJS packages in an ES module bundle call require() for Node's built-ins.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module';\nconst require = __bundleRequire(import.meta.url);" },
  define: { BUNDLED_DOMAIN_HASH: JSON.stringify(domainHash()) },
  // Without comments and indentation the source V8 scans and keeps is a third smaller; names stay
  // (stack traces), and dist/server.js.map maps lines back to src/ and node_modules/.
  minifyWhitespace: true,
  plugins: [lazyAxios],
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
  writeFileSync(file.path, file.path.endsWith('.js') ? ascii(file.text) : file.contents);
}
