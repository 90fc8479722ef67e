// Shared helpers of the browser tests (run.mjs) and the screenshot script
// (screenshots.mjs): where the built site and Chromium are, how Chromium is
// started, a loopback static server, and page loading that records every
// console error, page error and request that leaves file:// or loopback.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { extname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

/** The built site: the first argument, else $CUNWU_SITE, else ../../public. */
export function siteDir(argv = process.argv.slice(2)) {
  const arg = argv.find((a) => !a.startsWith('-'));
  const dir = resolve(arg ?? process.env.CUNWU_SITE ?? new URL('../../public', import.meta.url).pathname);
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error(`no built site at ${dir} (run \`cargo run --release -- build\` or pass the folder)`);
  }
  return dir;
}

/** Debian's Chromium; never a browser downloaded by Playwright. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Flags known to work on these machines (closed network, root, no GPU). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launch() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  }
  // Playwright gives every launch a new, empty --user-data-dir of its own.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export const AXE_PATH = require.resolve('axe-core/axe.min.js');

/** A URL the site may load: its own files, inline data, or loopback. */
export function isLocal(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (['file:', 'data:', 'blob:', 'about:'].includes(u.protocol)) return true;
  if (u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ws:') {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  }
  return false;
}

/**
 * A browser context with `viewport` that refuses (and records) every request
 * leaving file:// or loopback, so a remote font, script or image is a failure
 * even on a machine with a network.
 */
export async function newContext(browser, { width, height, scale = 1 }) {
  const context = await browser.newContext({
    viewport: { width, height },
    deviceScaleFactor: scale,
    locale: 'zh-CN',
    // Scripts run as they would for a villager; nothing from outside.
    serviceWorkers: 'block',
  });
  context.outside = [];
  await context.route(
    (url) => !isLocal(url.href),
    (route) => {
      context.outside.push(route.request().url());
      return route.abort('blockedbyclient');
    },
  );
  return context;
}

/**
 * A page of `context` that records, for each visit, console errors, uncaught
 * page errors, failed requests and requests to anywhere but file:// or
 * loopback. `await tab.visit(url)` navigates and returns the page, with
 * `tab.problems` holding what went wrong during that visit.
 */
export async function newTab(context) {
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.problems.push(`console error: ${msg.text()} (${msg.location().url ?? ''})`);
  });
  page.on('pageerror', (err) => page.problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    page.problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on('request', (req) => {
    if (!isLocal(req.url())) page.problems.push(`request leaves file:// and loopback: ${req.url()}`);
  });
  page.visit = async (url) => {
    page.problems = [];
    const response = await page.goto(url, { waitUntil: 'load' });
    if (response && !url.startsWith('file:') && !response.ok()) {
      page.problems.push(`HTTP ${response.status()} for ${url}`);
    }
    return page;
  };
  return page;
}

/** Opens `url` in a new tab of `context` (see newTab). */
export async function open(context, url) {
  const page = await newTab(context);
  return page.visit(url);
}

export function fileUrl(site, rel) {
  const [path, query] = rel.split('?');
  return pathToFileURL(join(site, path)).href + (query ? `?${query}` : '');
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves `site` on 127.0.0.1 (a random port) the way a plain web server does:
 * `dir/` gives `dir/index.html`, a missing file gives 404.html with status 404.
 * Resolves to { url, close }.
 */
export function serve(site) {
  const root = resolve(site);
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = resolve(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    let status = 200;
    if (!existsSync(file)) {
      status = 404;
      file = join(root, '404.html');
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    res.writeHead(status, { 'content-type': type });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      // close() also drops the browser's keep-alive connections, or it would wait for them.
      const close = () =>
        new Promise((done) => {
          server.close(done);
          server.closeAllConnections();
        });
      ok({ url: `http://127.0.0.1:${port}/`, close });
    });
  });
}
