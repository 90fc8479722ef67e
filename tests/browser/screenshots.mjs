// Screenshots of the example portal for docs/site.md, in Debian's headless
// Chromium. Run by hand from the repository root:
//
//   npm ci --prefix tests/browser          # once
//   node tests/browser/screenshots.mjs     # builds the example, writes docs/screenshots/
//
// It builds the bundled example (with `cargo run --release`) into a temporary
// folder, with base_url set so that the 公示 sheet carries its QR code, then
// writes:
//   docs/screenshots/home.png           the home page, 1280 px wide (first screen)
//   docs/screenshots/village-phone.png  下龙井村's page on a 360 px phone, whole page
//   docs/screenshots/print.png          a project's 公示 sheet as printed on A4
//                                       (PDF in print media, then pdftoppm from
//                                       poppler-utils; without it, a print-media
//                                       screenshot of the same width)
// Pass a built site folder as the first argument to use it instead.

import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileUrl, launch, newContext } from './lib.mjs';

const REPO = resolve(new URL('../..', import.meta.url).pathname);
const OUT = join(REPO, 'docs/screenshots');
const BASE_URL = 'https://qingshan.example.gov.cn/cunwu/';

function buildExample() {
  const tmp = mkdtempSync(join(tmpdir(), 'cunwu-shots-'));
  const portal = join(tmp, 'portal');
  for (const part of ['cunwu.toml', 'data', 'content', 'themes', 'templates']) {
    if (existsSync(join(REPO, part))) cpSync(join(REPO, part), join(portal, part), { recursive: true });
  }
  const toml = readFileSync(join(portal, 'cunwu.toml'), 'utf8');
  writeFileSync(join(portal, 'cunwu.toml'), toml.replace('county = "qingshan"', `county = "qingshan"\nbase_url = "${BASE_URL}"`));
  const site = join(tmp, 'public');
  execFileSync('cargo', ['run', '--release', '--quiet', '--', 'build', '--quiet', '--root', portal, '--output', site], {
    cwd: REPO,
    stdio: 'inherit',
  });
  return { site, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

const given = process.argv[2];
const { site, cleanup } = given ? { site: resolve(given), cleanup: () => {} } : buildExample();
mkdirSync(OUT, { recursive: true });
const browser = await launch();
try {
  // The home page on a desktop: the first screen.
  const desktop = await newContext(browser, { width: 1280, height: 800 });
  const home = await desktop.newPage();
  await home.goto(fileUrl(site, 'index.html'), { waitUntil: 'load' });
  await home.screenshot({ path: join(OUT, 'home.png') });

  // A village on a phone, the whole page.
  const phone = await newContext(browser, { width: 360, height: 740 });
  const village = await phone.newPage();
  await village.goto(fileUrl(site, 'areas/xialongjing/index.html'), { waitUntil: 'load' });
  await village.screenshot({ path: join(OUT, 'village-phone.png'), fullPage: true });

  // A 公示 sheet as printed: A4 in print media.
  const sheet = await desktop.newPage();
  await sheet.goto(fileUrl(site, 'projects/xialongjing-2019-roads/print.html'), { waitUntil: 'load' });
  await sheet.emulateMedia({ media: 'print' });
  const pdf = await sheet.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
  const pdfPath = join(tmpdir(), `cunwu-print-${process.pid}.pdf`);
  writeFileSync(pdfPath, pdf);
  const prefix = join(tmpdir(), `cunwu-print-${process.pid}`);
  const ppm = spawnSync('pdftoppm', ['-png', '-r', '80', '-singlefile', pdfPath, prefix], { stdio: 'inherit' });
  if (ppm.status === 0) {
    renameSync(`${prefix}.png`, join(OUT, 'print.png'));
  } else {
    console.warn('pdftoppm (poppler-utils) not found: print.png is a print-media screenshot instead');
    await sheet.setViewportSize({ width: 794, height: 1123 });
    await sheet.screenshot({ path: join(OUT, 'print.png'), fullPage: true });
  }
  rmSync(pdfPath, { force: true });
} finally {
  await browser.close();
  cleanup();
}
for (const name of ['home.png', 'village-phone.png', 'print.png']) {
  console.log(`docs/screenshots/${name}: ${Math.round(statSync(join(OUT, name)).size / 1024)} KB`);
}
