// Browser tests of a built cunwu site, in Debian's headless Chromium
// (playwright-core with /usr/bin/chromium; axe-core for accessibility).
//
//   node --test run.mjs                      # the site in ../../public
//   CUNWU_SITE=/path/to/public node --test run.mjs
//   CUNWU_SITE_ONLINE=/path/to/a/build/with/base_url   # also print those sheets
//
// tests/browser.rs builds the example portal and runs this. What is checked:
// - every page, opened from file:// and laid out at 320, 360, 640 (1280 px at
//   200 % zoom) and 1280 px: no console error, no page error, no failed
//   request, no request leaving file:// or loopback (web fonts, scripts…), the
//   stylesheet applies, lang="zh-CN", and no horizontal scroll of the page;
//   the key pages also in fresh 360×740, 1280×800 and 640×400@2x windows;
// - axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on the key pages (home, a
//   village, a township, a project, a programme, plans, search, data, checks
//   and 公示 sheets) at 360 and 1280 px: no serious or critical violation;
// - search for a village's Chinese name (from the address, from the header
//   form and from the search page) lists the village's page first; with
//   JavaScript off the search page still offers its browse links;
// - every 公示 print page, printed to A4 in print media, is exactly one page;
// - served over loopback HTTP: the key pages load cleanly, search works, and
//   a missing address at any depth gets the styled 404 page.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AXE_PATH, fileUrl, launch, newContext, newTab, open, serve, siteDir } from './lib.mjs';

const VIEWPORTS = {
  phone: { width: 360, height: 740 },
  desktop: { width: 1280, height: 800 },
  zoom200: { width: 640, height: 400, scale: 2 },
};

/** One page of each kind: the pages villagers, auditors and clerks use. */
const KEY_PAGES = [
  ['home', 'index.html'],
  ['village', 'areas/xialongjing/index.html'],
  ['township', 'areas/limu/index.html'],
  ['project', 'projects/xialongjing-2019-roads/index.html'],
  ['programme', 'programmes/xialongjing-2019/index.html'],
  ['plan', 'villages/xialongjing-2019/index.html'],
  ['plan with embedded tables', 'county/yishiyiyi-2019/index.html'],
  ['section', 'villages/index.html'],
  ['search', 'search/index.html'],
  ['search with results', 'search/index.html?q=下龙井村'],
  ['data index', 'data/index.html'],
  ['check report', 'checks/index.html'],
  ['公示 print (project)', 'projects/xialongjing-2019-roads/print.html'],
  ['公示 print (programme)', 'programmes/xialongjing-2019/print.html'],
  ['公示 print (village)', 'areas/xialongjing/print.html'],
];

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let site;
let browser;
let server;
const contexts = {};

before(async () => {
  site = siteDir();
  browser = await launch();
  for (const [name, vp] of Object.entries(VIEWPORTS)) contexts[name] = await newContext(browser, vp);
  server = await serve(site);
});

after(async () => {
  const outside = Object.values(contexts).flatMap((c) => c.outside);
  await browser?.close();
  await server?.close();
  assert.deepEqual(outside, [], 'requests that left file:// or loopback were blocked');
});

/** Every HTML file of the site, relative with '/', sorted. */
function htmlFiles(dir, base = dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...htmlFiles(path, base));
    else if (e.name.endsWith('.html')) out.push(relative(base, path).split(sep).join('/'));
  }
  return out.sort();
}

/** Why the page scrolls sideways: the widest elements that stick out. */
async function overflow(page) {
  return page.evaluate(() => {
    const vw = window.innerWidth;
    const doc = document.documentElement;
    if (doc.scrollWidth <= vw) return null;
    const culprits = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > vw + 0.5 && r.width > 0) {
        // Only the outermost element that sticks out, not its children.
        const parent = el.parentElement;
        const pr = parent?.getBoundingClientRect();
        if (!pr || pr.right <= vw + 0.5) {
          const id = el.id ? `#${el.id}` : '';
          const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
          culprits.push(`${el.tagName.toLowerCase()}${id}${cls} (right ${Math.round(r.right)}px): ${el.textContent.trim().slice(0, 40)}`);
        }
      }
    }
    return `scrollWidth ${doc.scrollWidth}px > ${vw}px; sticking out: ${culprits.slice(0, 5).join(' | ')}`;
  });
}

/** The stylesheet loaded and applies (from file:// a wrong relative path fails quietly). */
async function styled(page) {
  return page.evaluate(() => {
    const main = document.querySelector('main');
    return !!main && getComputedStyle(main).maxWidth !== 'none' || !!document.querySelector('.print-view');
  });
}

/** Loads `url` in `tab` and checks it; returns the failures (empty when fine). */
async function checkPage(tab, url, label) {
  try {
    const page = await tab.visit(url);
    assert.deepEqual(page.problems, [], `${label}: console, page or request errors`);
    assert.ok(await styled(page), `${label}: style.css did not apply`);
    const lang = await page.evaluate(() => document.documentElement.lang);
    assert.equal(lang, 'zh-CN', `${label}: <html lang>`);
    assert.equal(await overflow(page), null, `${label}: the page scrolls sideways`);
    return [];
  } catch (e) {
    return [e.message];
  }
}

/** Widths every page is laid out at: 400 % and 200 % zoom of 1280, a phone, a desktop. */
const SWEEP_WIDTHS = [320, 360, 640, 1280];

/**
 * Loads each page of `rels` once from file:// in a new tab of `context` and
 * checks it, then narrows the window through SWEEP_WIDTHS (the layout at 640
 * CSS px is the layout of 1280 px at 200 % zoom).
 */
async function sweep(context, rels) {
  const tab = await newTab(context);
  const failures = [];
  for (const rel of rels) {
    await tab.setViewportSize({ width: 1280, height: 800 });
    const problems = await checkPage(tab, fileUrl(site, rel), `${rel} at 1280px`);
    failures.push(...problems);
    if (problems.length) continue;
    for (const width of SWEEP_WIDTHS.filter((w) => w !== 1280).reverse()) {
      await tab.setViewportSize({ width, height: 740 });
      const why = await overflow(tab);
      if (why) failures.push(`${rel} at ${width}px: the page scrolls sideways: ${why}`);
    }
    failures.push(...tab.problems.map((p) => `${rel} after resizing: ${p}`));
  }
  await tab.close();
  return failures;
}

test(`every page from file:// at ${SWEEP_WIDTHS.join(', ')} px: no console error, no outside request, no sideways scroll`, async () => {
  const pages = htmlFiles(site).filter((f) => f !== '404.html'); // 404.html is for servers only
  assert.ok(pages.length > 20, `only ${pages.length} pages`);
  // Two tabs side by side, each with half the pages.
  const half = Math.ceil(pages.length / 2);
  const failures = (
    await Promise.all([sweep(contexts.desktop, pages.slice(0, half)), sweep(contexts.desktop, pages.slice(half))])
  ).flat();
  assert.deepEqual(failures, [], `${failures.length} problems on ${pages.length} pages`);
});

describe('key pages in fresh windows from file://', { concurrency: true }, () => {
  for (const vp of Object.keys(VIEWPORTS)) {
    const { width, height, scale } = VIEWPORTS[vp];
    test(`${vp} ${width}×${height}${scale ? ` at device scale ${scale} (1280 px at ${scale * 100}% zoom)` : ''}`, async () => {
      const tab = await newTab(contexts[vp]);
      const failures = [];
      for (const [, rel] of KEY_PAGES) failures.push(...(await checkPage(tab, fileUrl(site, rel), `${rel} at ${vp}`)));
      await tab.close();
      assert.deepEqual(failures, []);
    });
  }
});

/** axe-core on the page in `tab`: its serious and critical violations, described. */
async function axe(page, label) {
  await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  const describeV = (v) =>
    `${label}: ${v.impact} ${v.id}: ${v.help}\n` +
    v.nodes
      .slice(0, 4)
      .map((n) => `    at ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(0, 3).join(' ')}`)
      .join('\n');
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = result.violations.filter((v) => !bad.includes(v));
  if (minor.length) console.log(`# not failing: ${minor.map(describeV).join('\n# ')}`);
  return bad.map(describeV);
}

// Served over loopback so that axe can read the stylesheet (it fetches it,
// which file:// forbids); that the pages work from file:// is checked above.
describe('axe-core: no serious or critical WCAG 2.2 AA violation', { concurrency: true }, () => {
  for (const vp of ['phone', 'desktop']) {
    test(`${KEY_PAGES.length} key pages at ${vp} ${VIEWPORTS[vp].width}px`, async () => {
      const tab = await newTab(contexts[vp]);
      const failures = [];
      for (const [name, rel] of KEY_PAGES) {
        const page = await tab.visit(server.url + rel);
        if (rel.includes('?q=')) await page.waitForSelector('#search-results li');
        failures.push(...(await axe(page, `${name} ${rel} at ${vp}`)));
        failures.push(...page.problems.map((p) => `${rel}: ${p}`));
      }
      await tab.close();
      assert.equal(failures.length, 0, failures.join('\n'));
    });
  }
});

/** The search results: [{text, href}] once the script has rendered them. */
async function results(page) {
  await page.waitForSelector('#search-results li a', { timeout: 5000 });
  return page.$$eval('#search-results li a', (as) => as.map((a) => ({ text: a.textContent.trim(), href: a.href })));
}

describe('search finds Chinese names', () => {
  test('search/index.html?q=下龙井村 lists the village first', async () => {
    const page = await open(contexts.phone, fileUrl(site, 'search/index.html?q=下龙井村'));
    try {
      const found = await results(page);
      assert.equal(found[0].href, fileUrl(site, 'areas/xialongjing/index.html'), JSON.stringify(found.slice(0, 3)));
      assert.match(found[0].text, /下龙井村/);
      assert.equal(await page.inputValue('#q'), '下龙井村', 'the query stays in the box');
      // The first result opens the village's page.
      await page.click('#search-results li a');
      await page.waitForURL(/areas\/xialongjing\/index\.html$/);
      assert.match(await page.textContent('h1'), /下龙井村/);
      assert.deepEqual(page.problems, []);
    } finally {
      await page.close();
    }
  });

  test('from file:// a query loads only the index shards it needs', async () => {
    const page = await newTab(contexts.phone);
    const loaded = [];
    page.on('request', (req) => {
      const m = req.url().match(/\/search\/([td]\/[0-9-]+)\.js$/);
      if (m) loaded.push(m[1]);
    });
    try {
      await page.visit(fileUrl(site, 'search/index.html?q=大箐村'));
      const found = await results(page);
      assert.equal(found[0].href, fileUrl(site, 'areas/daqing/index.html'), JSON.stringify(found.slice(0, 3)));
      const meta = await page.evaluate(() => window.CUNWU_SEARCH);
      const tokens = loaded.filter((n) => n.startsWith('t/'));
      assert.ok(tokens.length >= 1 && tokens.length <= 2, `token shards: ${loaded}`);
      assert.ok(tokens.length < meta.shards, `every token shard was loaded: ${loaded}`);
      assert.ok(loaded.some((n) => n.startsWith('d/')), `no result shard: ${loaded}`);
      assert.deepEqual(page.problems, []);
    } finally {
      await page.close();
    }
  });

  test('typing 下龙井村 in the header form of the home page and submitting', async () => {
    const page = await open(contexts.phone, fileUrl(site, 'index.html'));
    try {
      await page.fill('#site-q', '下龙井村');
      await Promise.all([page.waitForURL(/search\/index\.html\?q=/), page.press('#site-q', 'Enter')]);
      const found = await results(page);
      assert.equal(found[0].href, fileUrl(site, 'areas/xialongjing/index.html'), JSON.stringify(found.slice(0, 3)));
      assert.deepEqual(page.problems, []);
    } finally {
      await page.close();
    }
  });

  test('the search page form: part of a name (龙井) and another village (大箐村)', async () => {
    const page = await open(contexts.desktop, fileUrl(site, 'search/index.html'));
    try {
      for (const [q, rel] of [
        ['龙井', 'areas/xialongjing/index.html'],
        ['大箐村', 'areas/daqing/index.html'],
      ]) {
        await page.fill('#q', q);
        await Promise.all([page.waitForURL((u) => u.search.includes('q=')), page.click('.search-form button')]);
        const found = await results(page);
        assert.ok(
          found.slice(0, 3).some((r) => r.href === fileUrl(site, rel)),
          `${q}: ${rel} not in the first three: ${JSON.stringify(found.slice(0, 3))}`,
        );
      }
      assert.deepEqual(page.problems, []);
    } finally {
      await page.close();
    }
  });

  test('with JavaScript off the search page still offers browse links', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: VIEWPORTS.phone });
    try {
      // The header form of any page submits without a script and lands on
      // the search page, whose village list is the fallback.
      const page = await open(context, fileUrl(site, 'index.html'));
      await page.fill('#site-q', '下龙井村');
      await Promise.all([page.waitForURL(/search\/index\.html\?q=/), page.press('#site-q', 'Enter')]);
      const links = await page.$$eval('.browse a', (as) => as.map((a) => a.href));
      assert.ok(links.includes(fileUrl(site, 'areas/xialongjing/index.html')), 'the village is one click away');
      assert.match(await page.textContent('.browse'), /下龙井村/);
      assert.equal(await page.$$eval('#search-results li', (li) => li.length), 0, 'no script ran');
      assert.deepEqual(page.problems, []);
    } finally {
      await context.close();
    }
  });
});

/**
 * Tables of the page in `page` whose last column is a number: for each, whether
 * it is wider than its box and every last cell it has that is not in view
 * (scrolled into view vertically, then hit-tested at its centre).
 */
async function totalsOutOfView(page) {
  return page.evaluate(() => {
    const out = [];
    const vw = document.documentElement.clientWidth;
    for (const table of document.querySelectorAll('main table')) {
      const head = table.querySelector('thead tr > :last-child');
      if (!head || !head.classList.contains('num')) continue;
      const hidden = [];
      for (const cell of table.querySelectorAll('tr > :last-child')) {
        cell.scrollIntoView({ block: 'center', inline: 'nearest' });
        table.scrollLeft = 0; // as a reader first sees it
        const r = cell.getBoundingClientRect();
        const x = r.left + r.width / 2;
        const y = r.top + r.height / 2;
        const hit = document.elementFromPoint(x, y);
        if (r.left < 0 || r.right > vw + 0.5 || !hit || !(hit === cell || cell.contains(hit))) {
          hidden.push(`${cell.textContent.trim()} (${Math.round(r.left)}-${Math.round(r.right)} px)`);
        }
      }
      out.push({ caption: table.caption?.textContent.trim() ?? '', scrolls: table.scrollWidth > table.clientWidth, hidden });
    }
    return out;
  });
}

describe('phones at 360 px', () => {
  test('a village\'s project table keeps its total column in view', async () => {
    const page = await open(contexts.phone, fileUrl(site, 'areas/xialongjing/index.html'));
    try {
      const tables = await totalsOutOfView(page);
      const projects = tables.find((t) => t.caption.includes('下龙井村的项目'));
      assert.ok(projects, `no project table: ${JSON.stringify(tables)}`);
      assert.ok(projects.scrolls, 'the project table is wider than a 360 px phone (else the test proves nothing)');
      for (const t of tables) assert.deepEqual(t.hidden, [], `${t.caption}: total cells out of view`);
      assert.deepEqual(page.problems, []);
    } finally {
      await page.close();
    }
  });

  test('every page with a totals table keeps the total in view', async () => {
    const page = await open(contexts.phone, fileUrl(site, 'index.html'));
    try {
      const failures = [];
      for (const rel of ['programmes/yishiyiyi-2019/index.html', 'projects/xialongjing-2019-roads/index.html', 'areas/longtuo/index.html', 'index.html']) {
        await page.goto(fileUrl(site, rel));
        for (const t of await totalsOutOfView(page)) {
          if (t.hidden.length) failures.push(`${rel} ${t.caption}: ${t.hidden.slice(0, 3).join(', ')}`);
        }
      }
      assert.deepEqual(failures, []);
    } finally {
      await page.close();
    }
  });

  test('the home page lists the villages under their townships, also without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: VIEWPORTS.phone });
    try {
      const page = await open(context, fileUrl(site, 'index.html'));
      const township = page.locator('details.township', { hasText: '栗木乡' });
      const village = township.locator('ul.villages a', { hasText: '下龙井村' });
      await township.locator('summary').click();
      assert.ok(await village.isVisible(), 'the village shows once its township is opened');
      const box = await village.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= VIEWPORTS.phone.width, `in view at 360 px: ${JSON.stringify(box)}`);
      assert.ok(box.height >= 24, `a finger-sized target: ${box.height} px high`);
      await Promise.all([page.waitForURL(/areas\/xialongjing\/index\.html$/), village.click()]);
      assert.match(await page.textContent('h1'), /下龙井村/);
      assert.deepEqual(page.problems, []);
    } finally {
      await context.close();
    }
  });
});

/** Pages of a PDF: the /Type /Page objects (not /Pages). */
function pdfPages(pdf) {
  const text = pdf.toString('latin1');
  return (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

/**
 * Words that are for the clerk at the screen, never for the notice board: file
 * and setting names, "not set", "not filled in", the way back to the website.
 */
const DEVELOPER_TEXT = ['base_url', 'cunwu.toml', '.toml', '[notice]', 'hotline', 'county_line', '未设置', '未填写', '数据中', '返回网页版', 'print.html', 'poster.html'];

/** What of `DEVELOPER_TEXT` the page shows in print media (its rendered text, display:none left out). */
async function developerTextOnPaper(page) {
  const printed = await page.evaluate(() => document.body.innerText);
  return DEVELOPER_TEXT.filter((w) => printed.includes(w));
}

/**
 * Prints every print.html and poster.html of `dir` to A4 in print media; the
 * ones not on one page, or with developer text on paper.
 */
async function printViews(dir) {
  const prints = htmlFiles(dir).filter((f) => f.endsWith('/print.html') || f.endsWith('/poster.html'));
  assert.ok(prints.some((f) => f.startsWith('projects/')), 'project print views');
  assert.ok(prints.some((f) => f.startsWith('programmes/')), 'programme print views');
  assert.ok(prints.some((f) => f.startsWith('areas/')), 'village print views');
  const failures = [];
  const page = await newTab(contexts.desktop);
  try {
    await page.emulateMedia({ media: 'print' });
    for (const rel of prints) {
      await page.visit(fileUrl(dir, rel));
      // As the print dialog does: the sheet's own @page size and margins.
      const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
      const n = pdfPages(pdf);
      if (n !== 1) failures.push(`${rel}: ${n} pages`);
      const dev = await developerTextOnPaper(page);
      if (dev.length) failures.push(`${rel}: developer text on paper: ${dev.join(', ')}`);
      failures.push(...page.problems.map((p) => `${rel}: ${p}`));
    }
  } finally {
    await page.close();
  }
  return { prints, failures };
}

describe('公示 print views fit one A4 page', { concurrency: true }, () => {
  test('every print.html in print media', async () => {
    const { prints, failures } = await printViews(site);
    assert.deepEqual(failures, [], `${failures.length} of ${prints.length} print views are not one clean A4 page`);
  });

  const online = process.env.CUNWU_SITE_ONLINE;
  test('with base_url set, so with the QR code', { skip: !online && 'CUNWU_SITE_ONLINE not set' }, async () => {
    const { prints, failures } = await printViews(online);
    const sheet = prints.find((f) => f.endsWith('/print.html'));
    const page = await open(contexts.desktop, fileUrl(online, sheet));
    assert.ok(await page.$('.qr-box svg'), `${sheet} has no QR code`);
    await page.close();
    assert.ok(prints.some((f) => f.endsWith('/poster.html')), 'village QR posters');
    assert.deepEqual(failures, [], `${failures.length} of ${prints.length} print views are not one clean A4 page`);
  });
});

describe('served over loopback HTTP', () => {
  test('key pages load cleanly at 360 px', async () => {
    const tab = await newTab(contexts.phone);
    const failures = [];
    for (const [, rel] of KEY_PAGES) failures.push(...(await checkPage(tab, server.url + rel, `http ${rel}`)));
    await tab.close();
    assert.deepEqual(failures, []);
  });

  test('header search form over HTTP', async () => {
    const page = await open(contexts.desktop, server.url);
    try {
      await page.fill('#site-q', '下龙井村');
      await Promise.all([page.waitForURL(/search\/index\.html\?q=/), page.click('.site-search button')]);
      const found = await results(page);
      assert.equal(found[0].href, `${server.url}areas/xialongjing/index.html`);
      assert.deepEqual(page.problems, []);
    } finally {
      await page.close();
    }
  });

  test('a missing address at any depth gets the styled 404 page', async () => {
    for (const missing of ['missing.html', 'a/b/c/missing']) {
      const page = await contexts.phone.newPage();
      const errors = [];
      page.on('console', (m) => m.type() === 'error' && !/404/.test(m.text()) && errors.push(m.text()));
      page.on('requestfailed', (r) => errors.push(`failed: ${r.url()}`));
      try {
        const response = await page.goto(server.url + missing, { waitUntil: 'load' });
        assert.equal(response.status(), 404);
        assert.ok(await styled(page), `${missing}: the 404 page's stylesheet did not load`);
        const home = await page.$eval('.site-title a', (a) => a.href);
        assert.match(new URL(home).pathname, /^\/(index\.html)?$/, `${missing}: the 404 page's home link`);
        assert.equal(await overflow(page), null);
        assert.deepEqual(errors, []);
      } finally {
        await page.close();
      }
    }
  });
});
