import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import { appPackageDir, buildPackage, MANIFEST_VERSION, manifestSchema, PackageError, renderManifest, settingsFromEnv, validateManifest } from '../../scripts/package.js';
import { QUERY_PARAMETER, SEARCH_COMMAND } from '../../src/bot/turn/messageExtension.js';
import { tempDir } from '../support/http.js';
import { repoRoot } from '../support/kb.js';

/**
 * The Teams app package: appPackage/manifest.json filled in and checked against the Teams manifest
 * JSON schema that @microsoft/app-manifest ships (no network), the icons, and `npm run package`.
 */
const env = { MicrosoftAppId: '00000000-0000-4000-8000-000000000001', PUBLIC_URL: 'https://bot.example.com', TAB_SSO_CLIENT_ID: '00000000-0000-4000-8000-000000000002' };
const template = () => readFileSync(join(appPackageDir, 'manifest.json'), 'utf8');

describe('Teams app package (appPackage/, scripts/package.ts)', () => {
  it('fills the manifest and it is valid against the Teams manifest schema', async () => {
    const manifest = renderManifest(template(), settingsFromEnv(env));
    expect(manifest.manifestVersion).to.equal(MANIFEST_VERSION);
    expect(manifest.$schema).to.equal(`https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`);
    expect((manifestSchema().properties as any).manifestVersion.const).to.equal(MANIFEST_VERSION);
    expect(await validateManifest(manifest)).to.deep.equal([]);
    // The check has teeth: a broken manifest is reported.
    expect(await validateManifest({ ...manifest, id: 'not-a-guid', accentColor: undefined })).to.have.length.greaterThan(0);
  });

  it('declares the bot in personal, team and group chats with the commands that work there, the «Решения» tab and SSO', () => {
    const m = renderManifest(template(), settingsFromEnv(env)) as any;
    expect(m.id).to.equal(env.MicrosoftAppId);
    expect(m.version).to.equal(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version);
    const bot = m.bots[0];
    expect(bot.botId).to.equal(env.MicrosoftAppId);
    expect(bot.scopes).to.have.members(['personal', 'team', 'groupChat']);
    const commandsIn = (scope: string) => {
      const lists = bot.commandLists.filter((l: { scopes: string[] }) => l.scopes.includes(scope));
      expect(lists, scope).to.have.length(1);
      return lists[0].commands.map((c: { title: string }) => c.title);
    };
    // Team-lead commands only in the personal chat: in a group chat or channel their cards would show
    // the operators' decisions to everyone there.
    expect(commandsIn('personal')).to.deep.equal(['помощь', 'темы', 'линии', 'фразы', 'решения', 'проверка']);
    expect(commandsIn('groupChat')).to.deep.equal(['помощь', 'темы', 'линии', 'фразы']);
    expect(commandsIn('team')).to.deep.equal(['помощь', 'темы', 'линии', 'фразы']);
    const tab = m.staticTabs.find((t: { entityId: string }) => t.entityId === 'decisions');
    // «inTeams» tells the page to sign in through Teams even without a frame (Teams mobile); the browser link has none.
    expect(tab).to.deep.include({ name: 'Решения', contentUrl: 'https://bot.example.com/tab/?inTeams=1', websiteUrl: 'https://bot.example.com/tab/', scopes: ['personal'] });
    expect(m.validDomains).to.deep.equal(['bot.example.com']);
    expect(m.webApplicationInfo).to.deep.equal({ id: env.TAB_SSO_CLIENT_ID, resource: `api://bot.example.com/${env.TAB_SSO_CLIENT_ID}` });
    // Without a separate SSO app the bot's own registration is used, with the «botid-» URI Teams expects then.
    const single = renderManifest(template(), settingsFromEnv({ ...env, TAB_SSO_CLIENT_ID: '' })) as any;
    expect(single.webApplicationInfo).to.deep.equal({ id: env.MicrosoftAppId, resource: `api://bot.example.com/botid-${env.MicrosoftAppId}` });
  });

  it('declares the compose-box search the bot answers: command «search», parameter «query», type query', () => {
    const m = renderManifest(template(), settingsFromEnv(env)) as any;
    expect(m.composeExtensions).to.have.length(1);
    const [extension] = m.composeExtensions;
    expect(extension.botId).to.equal(env.MicrosoftAppId);
    expect(extension.commands).to.have.length(1);
    const [command] = extension.commands;
    expect(command).to.deep.include({ id: SEARCH_COMMAND, type: 'query', initialRun: true });
    expect(command.parameters.map((p: { name: string }) => p.name)).to.deep.equal([QUERY_PARAMETER]);
  });

  it('links the developer pages to the bot’s own pages by default, or to the addresses configured', async () => {
    const m = renderManifest(template(), settingsFromEnv(env)) as any;
    expect(m.developer).to.deep.equal({
      name: 'Контакт-центр',
      websiteUrl: 'https://bot.example.com/tab/about.html',
      privacyUrl: 'https://bot.example.com/tab/privacy.html',
      termsOfUseUrl: 'https://bot.example.com/tab/terms.html',
    });
    for (const page of ['about.html', 'privacy.html', 'terms.html']) expect(existsSync(join(repoRoot, 'public', 'tab', page)), page).to.equal(true);
    const links = { WEBSITE_URL: 'https://intranet.example.com/operator-assistant', PRIVACY_URL: 'https://intranet.example.com/privacy?app=oa', TERMS_URL: 'https://intranet.example.com/terms' };
    const custom = renderManifest(template(), settingsFromEnv({ ...env, ...links })) as any;
    expect(custom.developer).to.deep.include({ websiteUrl: links.WEBSITE_URL, privacyUrl: links.PRIVACY_URL, termsOfUseUrl: links.TERMS_URL });
    expect(await validateManifest(custom)).to.deep.equal([]);
  });

  it('ships a 192×192 colour icon and a 32×32 white-on-transparent outline icon', () => {
    const color = PNG.sync.read(readFileSync(join(appPackageDir, 'color.png')));
    expect([color.width, color.height]).to.deep.equal([192, 192]);
    const outline = PNG.sync.read(readFileSync(join(appPackageDir, 'outline.png')));
    expect([outline.width, outline.height]).to.deep.equal([32, 32]);
    let opaque = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      if (outline.data[i + 3] === 0) continue;
      opaque++;
      expect([outline.data[i], outline.data[i + 1], outline.data[i + 2]]).to.deep.equal([255, 255, 255]);
    }
    expect(opaque).to.be.greaterThan(100);
  });

  it('zips manifest.json and the icons at the root, placeholders filled', async () => {
    const { zip } = await buildPackage(settingsFromEnv(env));
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).to.deep.equal(['color.png', 'manifest.json', 'outline.png']);
    const text = new TextDecoder().decode(files['manifest.json']);
    expect(text).not.to.include('${');
    expect(JSON.parse(text).id).to.equal(env.MicrosoftAppId);
    expect(Buffer.from(files['color.png']).equals(readFileSync(join(appPackageDir, 'color.png')))).to.equal(true);
  });

  it('fails clearly when MicrosoftAppId, the public URL or a developer link is missing or wrong', () => {
    const problems = (e: Record<string, string>) => {
      try {
        settingsFromEnv(e);
        return [];
      } catch (err) {
        expect(err).to.be.instanceOf(PackageError);
        return (err as PackageError).problems;
      }
    };
    expect(problems({})).to.have.length(2);
    expect(problems({ PUBLIC_URL: env.PUBLIC_URL })[0]).to.match(/^MicrosoftAppId is not set/);
    expect(problems({ MicrosoftAppId: env.MicrosoftAppId })[0]).to.match(/^PUBLIC_URL is not set/);
    expect(problems({ ...env, PUBLIC_URL: 'http://bot.example.com' })[0]).to.match(/^PUBLIC_URL must be an https origin/);
    expect(problems({ ...env, PUBLIC_URL: 'https://bot.example.com/bot' })[0]).to.match(/^PUBLIC_URL must be an https origin/);
    expect(problems({ ...env, MicrosoftAppId: 'my-bot' })[0]).to.equal('MicrosoftAppId must be a GUID, got "my-bot"');
    expect(problems({ ...env, APP_VERSION: 'v1' })[0]).to.equal('APP_VERSION must be a version like 1.2.3, got "v1"');
    expect(problems({ ...env, PRIVACY_URL: 'http://intranet.example.com/privacy' })).to.deep.equal([
      'PRIVACY_URL must be an https address such as https://intranet.example.com/privacy.html, got "http://intranet.example.com/privacy"',
    ]);
    expect(problems({ ...env, WEBSITE_URL: 'intranet' })[0]).to.match(/^WEBSITE_URL must be an https address/);
  });

  it('`npm run package` (scripts/package.ts) writes the zip, and exits 1 naming what is missing', function () {
    this.timeout(60_000);
    const out = join(tempDir('oa-pkg-'), 'appPackage.zip');
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['MicrosoftAppId', 'PUBLIC_URL', 'TAB_SSO_CLIENT_ID', 'APP_VERSION', 'WEBSITE_URL', 'PRIVACY_URL', 'TERMS_URL'].includes(k)));
    const run = (extra: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'scripts/package.ts', '--out', out], { cwd: repoRoot, encoding: 'utf8', env: { ...clean, ...extra } });
    const failed = run({});
    expect(failed.status).to.equal(1);
    expect(failed.stderr).to.include('Cannot build the Teams app package').and.include('MicrosoftAppId is not set').and.include('PUBLIC_URL is not set');
    const ok = run({ ...env, APP_VERSION: '1.2.3' });
    expect(ok.status, ok.stderr).to.equal(0);
    expect(ok.stdout).to.include('Teams app package 1.2.3');
    const manifest = JSON.parse(new TextDecoder().decode(unzipSync(readFileSync(out))['manifest.json']));
    expect(manifest.version).to.equal('1.2.3');
  });
});
