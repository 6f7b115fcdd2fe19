#!/usr/bin/env node
// dashboard.js: drive headless Chromium through the dashboard page, as a
// person would see it, for t/browser/dashboard.t.
//
// Environment (set by dashboard.t):
//   VT_URL       the page, https://127.0.0.1:PORT/ (a self-signed cert)
//   VT_HOSTNAME  what `hostname` prints on this machine
//   VT_OUT       a folder for the screenshots and the browser's profile
//   VT_CHROMIUM  the browser (/usr/bin/chromium)
//
// The verdict's documents come from t/fixtures/html/ (the ones html-t
// renders), served in place of /api/metrics through page.route() with
// the live answer's figures and fresh times; the screenshots
// verdict-critical.png and verdict-healthy.png show them.
//
// Output: one JSON object a line, {"ok":true|false,"name":"…","diag":"…"}
// for each check; dashboard.t turns them into TAP.  Exits 0 when it ran
// to the end (whatever the checks said), non-zero when it could not.
'use strict';

const fs = require('fs');
const path = require('path');
const { report, sleep, drive } = require('./driver');

const url = process.env.VT_URL;
const hostname = process.env.VT_HOSTNAME;
const out = process.env.VT_OUT;
const exe = process.env.VT_CHROMIUM || '/usr/bin/chromium';
const origin = new URL(url).origin;

// The format cases of t/unit/html-t.c: the page's script must write what
// the server wrote.
const FORMAT_CASES = [
	[12.25, 'pct', '12.3 %'],
	[0.245, 'load', '0.25'],
	[25276502016, 'bytes', '23.5 GiB'],
	[446750720, 'bytes', '426 MiB'],
	[90061.5, 'dur', '1 d 1 h'],
	[3700, 'dur', '1 h 1 min'],
	[830.59, 'dur', '13 min 50 s'],
	[412, 'age', '0.4 s'],
	[2000000, 'rate', '1.91 MiB/s'],
	[4718592, 'rate', '4.50 MiB/s'],
	[1536, 'rate', '1.50 KiB/s'],
	[17087.5, 'rate', '16.7 KiB/s'],
	[0, 'rate', '0 B/s'],
	[96, 'ps', '96/s'],
	[12345, 'int', '12345'],
	[12.5, 'load', '12.50'],
	[-0.001, 'load', '0.00'],
	[1e300, 'dur', '11574074074 d 1 h'],
	[null, 'pct', '\u2014'],
	['x', 'int', '\u2014'],
	['a<b', 'str', 'a<b'],
	[1.234, 'ms', '1.2 ms'],
	[12.5, 'ms', '13 ms'],
	[12345, 'ms', '12 s'],
	[0, 'ms', '0.0 ms'],
];

// The verdict's documents, t/fixtures/html/ (html-t renders the same).
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'html');
const BLOCKS = ['checks', 'health', 'listeners', 'listeners_total'];

// A live answer with the blocks of fixture name, its times moved so that
// the fixture's sample is taken at ts.
function withFixture(live, name, ts) {
	const fx = JSON.parse(fs.readFileSync(path.join(FIXTURES, name +
	    '.json'), 'utf8'));
	const shift = ts - fx.timestamp_ms;
	const doc = Object.assign({}, live);
	BLOCKS.forEach((k) => { doc[k] = fx[k]; });
	doc.timestamp_ms = ts;
	doc.checks.evaluated_ms += shift;
	doc.checks.items.forEach((it) => {
		if (typeof it.since_ms === 'number')
			it.since_ms += shift;
	});
	if (typeof doc.health.checked_ms === 'number')
		doc.health.checked_ms += shift;
	return doc;
}


async function run(context) {
	const page = context.pages()[0] || await context.newPage();
	const problems = [];		// console errors, page errors
	const failed = [];		// requests that failed or got >= 400
	const expectedFailures = [];	// what the range test provokes

	// Chromium reports a CSP violation as a console error, and the
	// event tells which directive: collect both.
	await context.addInitScript(() => {
		window.__csp = [];
		document.addEventListener('securitypolicyviolation', (e) => {
			window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
		});
	});
	page.on('console', (m) => {
		if (m.type() === 'error' || m.type() === 'warning')
			problems.push(m.type() + ': ' + m.text());
	});
	page.on('pageerror', (e) => problems.push('page error: ' + e.message));
	page.on('requestfailed', (r) => failed.push(r.url() + ' ' +
	    (r.failure() || {}).errorText));
	page.on('response', (r) => {
		if (r.status() >= 400)
			failed.push(r.url() + ' ' + r.status());
	});

	// The first paint.
	const res = await page.goto(url, { waitUntil: 'load', timeout: 20000 });
	if (!report(res && res.status() === 200, 'GET / is 200 in the browser',
	    res && res.status()))
		return;		/* no page: every check below would wait */
	const csp = res ? (await res.allHeaders())['content-security-policy'] : '';
	report(/script-src 'self'/.test(csp || '') &&
	    /style-src 'self'/.test(csp || ''),
	    'the page is served under the CSP (script-src and style-src self)',
	    csp);
	const h1 = (await page.locator('h1').first().textContent() || '').trim();
	report(h1 === hostname, 'the heading is the host name', { h1, hostname });
	report(await page.locator('h1').count() === 1, 'one h1');
	const title = await page.title();
	report(title.startsWith(hostname), 'the title names the host', title);

	// The verdict banner: first in the body, in words, a live region.
	const liveDoc = await page.evaluate(() => fetch('/api/metrics',
	    { cache: 'no-store' }).then((r) => r.json()));
	const banner = await page.evaluate(() => {
		const v = document.getElementById('verdict');
		return v === null ? null : {
			first: document.body.firstElementChild === v,
			state: v.dataset.state,
			text: document.getElementById('verdict-state').textContent,
			live: v.querySelector('[role="status"][aria-live]') !== null,
			visible: v.getBoundingClientRect().height > 0,
		};
	});
	/*
	 * The page's own document may be a sample older or newer than
	 * liveDoc, and on a loaded machine a check (cpu) really does come
	 * and go between two samples: so the words must agree with the
	 * banner's own state, and the block's presence with liveDoc's.
	 */
	const wantHead = liveDoc.checks === undefined ? 'Checks not available' :
	    banner === null ? null : banner.state === 'ok' ? 'Healthy' :
	    banner.state === 'warning' ? 'Warning' :
	    banner.state === 'critical' ? 'Critical' : null;
	report(banner !== null && banner.first && banner.live && banner.visible,
	    'the verdict banner is the first thing in the page, a live region',
	    banner);
	report(banner !== null && ['ok', 'warning', 'critical', 'unknown']
	    .includes(banner.state) && (wantHead === null ||
	    banner.text.startsWith(wantHead)), 'the banner says something ' +
	    'true of the ' +
	    'document served: ' + (banner && banner.text), { banner,
	    checks: liveDoc.checks === undefined ? 'absent' : 'present' });
	report(await page.locator('#checks-rows tr').count() >= 1 &&
	    await page.locator('#db-status').count() === 1 &&
	    await page.locator('#listeners-rows tr').count() >= 1,
	    'the checks list, the database panel and the listeners table');

	// Live numbers: the script polls /api/metrics every second.
	const cpu = page.locator('[data-k="cpu.total.busy_percent"]').first();
	const cpu0 = (await cpu.textContent()).trim();
	await page.waitForFunction(() =>
	    Number(document.documentElement.dataset.updates || 0) >= 1,
	    null, { timeout: 10000 }).catch(() => {});
	const ts1 = await page.evaluate(() =>
	    Number(document.documentElement.dataset.sampleTs || 0));
	await page.waitForFunction((t) =>
	    Number(document.documentElement.dataset.sampleTs || 0) > t,
	    ts1, { timeout: 10000 }).catch(() => {});
	const ts2 = await page.evaluate(() =>
	    Number(document.documentElement.dataset.sampleTs || 0));
	report(ts1 > 0 && ts2 > ts1, 'newer samples arrive in the page',
	    { ts1, ts2 });
	const cpu1 = (await cpu.textContent()).trim();
	report(/^\d+\.\d %$/.test(cpu1),
	    'CPU busy is a percentage after the updates', { before: cpu0,
	    after: cpu1 });
	report(/^(\d+\.\d %|\u2014)$/.test(cpu0),
	    'CPU busy on the first paint: a percentage (or a dash)', cpu0);
	const live = (await page.locator('#live-state').textContent()).trim();
	report(live === 'Live', 'the header says Live', live);
	report(await page.evaluate(() => document.getElementById('live')
	    .classList.contains('ok')), 'the live marker is green');

	// The charts: six canvases with a size, and points in them.
	await page.waitForFunction(() =>
	    document.querySelectorAll('.plot canvas').length >= 6, null,
	    { timeout: 10000 }).catch(() => {});
	await page.waitForFunction(() =>
	    document.querySelector('section.history').dataset.state === 'ok',
	    null, { timeout: 10000 }).catch(() => {});
	await sleep(2500);
	const canvases = await page.evaluate(() =>
	    Array.from(document.querySelectorAll('.plot')).map((p) => {
		const c = p.querySelector('canvas');
		const r = c ? c.getBoundingClientRect() : { width: 0, height: 0 };
		return { id: p.id, w: r.width, h: r.height,
		    pw: c ? c.width : 0, ph: c ? c.height : 0 };
	    }));
	report(canvases.length === 6, 'six charts', canvases);
	report(canvases.every((c) => c.w > 100 && c.h > 50 && c.pw > 0 &&
	    c.ph > 0), 'every chart has a canvas with a size', canvases);
	const points = await page.evaluate(() => window.vitals.historyPoints());
	report(points >= 2, 'the 5 min history has points (' + points + ')',
	    points);
	report((await page.locator('#history-status').textContent()).trim() ===
	    '' || points === 0, 'no history message when it loaded');

	// The tables, rebuilt by the script.
	const net = await page.locator('#net-rows tr th').allTextContents();
	report(net.length >= 1 && net.every((t) => t.trim() !== ''),
	    'the network table lists interfaces', net);
	const tcp = await page.locator('#tcp-rows th').allTextContents();
	report(tcp.includes('CLOSE_WAIT') && tcp.includes('ESTABLISHED'),
	    'the TCP table has ESTABLISHED and CLOSE_WAIT', tcp);
	const fs0 = await page.locator('#fs-rows tr').count();
	report(fs0 >= 1, 'the filesystems table has rows', fs0);
	const workers = (await page.locator('[data-k="pool.workers"]').first()
	    .textContent()).trim();
	report(/^[1-9]\d*$/.test(workers), 'the pool shows its workers',
	    workers);

	// The script formats as the server does.
	const fmts = await page.evaluate((cases) => cases.map(([v, f, want]) =>
	    ({ v, f, want, got: window.vitals.fmt(v, f) })), FORMAT_CASES);
	const bad = fmts.filter((c) => c.got !== c.want);
	report(bad.length === 0, 'the script formats like html.c', bad);

	// Accessible markup.
	const a11y = await page.evaluate(() => ({
		lang: document.documentElement.lang,
		unlabelled: Array.from(document.querySelectorAll('input'))
		    .filter((i) => !i.labels || i.labels.length === 0).length,
		// The page's own tables (uPlot's legends are tables too).
		tablesWithoutHeaders: Array.from(document.querySelectorAll(
		    'table:not(.u-legend)')).filter((t) =>
		    t.querySelectorAll('thead th[scope="col"]').length === 0)
		    .length,
		h2: document.querySelectorAll('h2').length,
		inlineScripts: Array.from(document.scripts).filter((s) =>
		    !s.src).length,
		styleElements: document.querySelectorAll('style').length,
	}));
	report(a11y.lang === 'en' && a11y.unlabelled === 0 &&
	    a11y.tablesWithoutHeaders === 0 && a11y.h2 >= 5,
	    'language, labels, table headers, section headings', a11y);
	report(a11y.inlineScripts === 0 && a11y.styleElements === 0,
	    'no inline script, no style element', a11y);

	// The range selector: 15 min from the ring.
	await page.locator('label[for="range-15m"]').click();
	await page.waitForFunction(() => window.vitals.range() === '15m' &&
	    document.querySelector('section.history').dataset.state !==
	    'loading', null, { timeout: 10000 }).catch(() => {});
	const st15 = await page.evaluate(() =>
	    document.querySelector('section.history').dataset.state);
	report(st15 === 'ok', 'the 15 min range loads', st15);
	report(/#range=15m$/.test(page.url()), 'the range is in the address',
	    page.url());

	// 7 d comes from the database, which may not be there: the page says
	// so in words, and nothing breaks.
	await page.locator('label[for="range-7d"]').click();
	await page.waitForFunction(() => window.vitals.range() === '7d' &&
	    document.querySelector('section.history').dataset.state !==
	    'loading', null, { timeout: 15000 }).catch(() => {});
	const st7 = await page.evaluate(() => ({
		state: document.querySelector('section.history').dataset.state,
		note: document.getElementById('history-status').textContent,
		visible: document.getElementById('history-status')
		    .getBoundingClientRect().height > 0,
	}));
	if (st7.state === 'error') {
		report(st7.visible && /7 d/.test(st7.note),
		    'a range without history says so, visibly', st7);
		expectedFailures.push(/\/api\/history\?range=7d/);
	} else {
		report(st7.state === 'ok', 'the 7 d range loads', st7);
	}
	await page.screenshot({ path: path.join(out, 'dashboard-7d.png'),
	    fullPage: false });

	// The answer the database ranges give while MariaDB is down (made
	// here, so the test does not depend on the backend's state).
	await page.route('**/api/history?range=30d', (route) => route.fulfill({
		status: 503,
		contentType: 'application/json',
		body: '{"error":{"status":503,"message":"the database is not ' +
		    'answering"}}\n',
	}));
	expectedFailures.push(/\/api\/history\?range=30d/);
	await page.locator('label[for="range-30d"]').click();
	await page.waitForFunction(() => window.vitals.range() === '30d' &&
	    document.querySelector('section.history').dataset.state !==
	    'loading', null, { timeout: 10000 }).catch(() => {});
	const st30 = await page.evaluate(() => ({
		state: document.querySelector('section.history').dataset.state,
		note: document.getElementById('history-status').textContent,
		live: document.getElementById('live-state').textContent,
	}));
	report(st30.state === 'error' &&
	    /not available right now: the database is not answering/.test(
	    st30.note) && st30.live === 'Live',
	    'a 503 from the database ranges is explained, the rest stays live',
	    st30);
	await page.screenshot({ path: path.join(out, 'dashboard-503.png'),
	    fullPage: false });
	await page.unroute('**/api/history?range=30d');
	await page.locator('label[for="range-5m"]').click();
	await page.waitForFunction(() => window.vitals.range() === '5m' &&
	    document.querySelector('section.history').dataset.state === 'ok',
	    null, { timeout: 10000 }).catch(() => {});
	report(await page.evaluate(() =>
	    document.getElementById('history-status').textContent === '' &&
	    window.vitals.historyPoints() >= 2),
	    'back to 5 min: the charts fill again, the message goes');
	const updates = await page.evaluate(() =>
	    Number(document.documentElement.dataset.updates));
	report((await page.locator('#live-state').textContent()).trim() ===
	    'Live', 'still live after the range changes', updates);

	// Screenshots: desktop, then a phone, then the dark scheme.
	await sleep(1200);
	const shotDesktop = path.join(out, 'dashboard-desktop.png');
	await page.screenshot({ path: shotDesktop, fullPage: true });
	report(fs.statSync(shotDesktop).size > 10000, 'a desktop screenshot: ' +
	    shotDesktop);

	await page.setViewportSize({ width: 390, height: 844 });
	await sleep(1500);
	const phone = await page.evaluate(() => ({
		scrollWidth: document.documentElement.scrollWidth,
		innerWidth: window.innerWidth,
		charts: Array.from(document.querySelectorAll('.plot canvas'))
		    .map((c) => Math.round(c.getBoundingClientRect().width)),
	}));
	report(phone.scrollWidth <= phone.innerWidth + 1,
	    'on a phone (390 px) the page does not scroll sideways', phone);
	report(phone.charts.length === 6 && phone.charts.every((w) =>
	    w > 200 && w <= phone.innerWidth), 'charts fit the phone', phone);
	const shotPhone = path.join(out, 'dashboard-phone.png');
	await page.screenshot({ path: shotPhone, fullPage: true });
	report(fs.statSync(shotPhone).size > 10000, 'a phone screenshot: ' +
	    shotPhone);

	await page.setViewportSize({ width: 1280, height: 900 });
	await page.emulateMedia({ colorScheme: 'dark' });
	await sleep(1500);
	const dark = await page.evaluate(() => ({
		bg: getComputedStyle(document.body).backgroundColor,
		canvases: document.querySelectorAll('.plot canvas').length,
	}));
	report(dark.canvases === 6 && dark.bg !== 'rgb(244, 246, 248)',
	    'the dark scheme changes the palette and keeps the charts', dark);
	const shotDark = path.join(out, 'dashboard-dark.png');
	await page.screenshot({ path: shotDark, fullPage: false });
	report(fs.statSync(shotDark).size > 10000, 'a dark screenshot: ' +
	    shotDark);

	// Without JavaScript: the first paint alone shows the vitals.
	const nojs = await context.newPage();
	const cdp = await context.newCDPSession(nojs);
	await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
	await nojs.goto(url, { waitUntil: 'load', timeout: 20000 });
	const first = await nojs.evaluate(() => ({
		h1: document.querySelector('h1').textContent.trim(),
		cpu: document.querySelector('[data-k="cpu.total.busy_percent"]')
		    .textContent,
		mem: document.querySelector('[data-k="memory.total_bytes"]')
		    .textContent,
		fs: document.querySelectorAll('#fs-rows tr').length,
		verdict: document.getElementById('verdict-state').textContent,
		net: document.querySelectorAll('#net-rows tr').length,
		updates: document.documentElement.dataset.updates || null,
	}));
	report(first.updates === null && first.h1 === hostname &&
	    /\d/.test(first.cpu) && /iB$/.test(first.mem) && first.fs >= 1 &&
	    first.net >= 1 && first.verdict !== '',
	    'without JavaScript the vitals and the verdict are on the page',
	    first);
	await nojs.close();

	// The verdict and the cache checks below are about the polled answer
	// (/api/metrics, replaced through page.route()).  With live push on,
	// the page reads the samples from /api/live instead, so for them it is
	// made to poll, as it does on a server without push: /api/live gives
	// the JSON 404 of such a server, and the page is loaded again.  The
	// page retries push now and then: each retry is one more 404.
	const cspSeen = [];
	const reload = async (mode) => {
		cspSeen.push(...await page.evaluate(() => window.__csp));
		await page.reload({ waitUntil: 'load', timeout: 20000 });
		return page.waitForFunction((m) => window.vitals &&
		    window.vitals.mode() === m, mode, { timeout: 15000 })
		    .then(() => true, () => false);
	};
	// A reload closes the page's subscription: Chromium reports the
	// request it gives up as aborted.
	expectedFailures.push(/\/api\/live 404$/,
	    /\/api\/live net::ERR_ABORTED$/);
	await page.route('**/api/live', (route) => route.fulfill({
		status: 404, contentType: 'application/json',
		body: '{"error":{"status":404,"message":"not found"}}\n',
	}));
	report(await reload('polling'), 'without /api/live the page polls');

	// The verdict live: the live answer with the critical fixture's
	// blocks (a hostile summary added), fresh on every poll; then the
	// healthy one.  Screenshots of both.
	await page.emulateMedia({ colorScheme: 'light' });
	const base = await page.evaluate(() => fetch('/api/metrics',
	    { cache: 'no-store' }).then((r) => r.json()));
	let fixture = 'critical';
	await page.route('**/api/metrics', (route) => {
		const hostile = fixture === 'hostile';
		const doc = withFixture(base, hostile ? 'critical' : fixture,
		    Date.now());
		if (hostile) {
			doc.checks.items[0].summary = '<img src=x ' +
			    'onerror="window.__pwned=1">unreachable';
			doc.listeners.push({ family: 'tcp', address: '<img ' +
			    'src=x onerror="window.__pwned=2">', port: 1,
			    queue: 0, backlog: 1, fill_percent: 0, pid: 1,
			    process: '<svg onload="window.__pwned=3">' });
		}
		route.fulfill({ status: 200, contentType: 'application/json',
		    body: JSON.stringify(doc) });
	});
	// The fixture's verdict, not merely a critical one: this host's own
	// can be critical too (a CPU saturated by a loaded machine), and is
	// on the page until the first poll brings the fixture.
	const crit = await page.waitForFunction(() => {
		const v = document.getElementById('verdict');
		return v.dataset.state === 'critical' && v.querySelector(
		    'li.problem[data-check="database"]') !== null && {
			head: v.querySelector('.verdict-head').textContent,
			items: Array.from(v.querySelectorAll('li.problem')).map(
			    (li) => ({ check: li.dataset.check,
			    state: li.dataset.state, text: li.textContent,
			    href: li.querySelector('a').getAttribute('href') })),
			row: document.querySelector(
			    '.check[data-check="database"][data-state="critical"]')
			    !== null,
			db: document.getElementById('db-status').textContent,
			listener: document.querySelector('#listeners-rows th')
			    .textContent,
			more: document.getElementById('listeners-more')
			    .textContent,
		};
	}, null, { timeout: 10000 }).then((h) => h.jsonValue(), () => null);
	report(crit !== null && /Critical: Database, Listeners, CLOSE_WAIT$/
	    .test(crit.head.trim()), 'a critical document: the banner turns ' +
	    'critical and names the problems, worst first', crit);
	report(crit !== null && crit.items.length === 3 &&
	    crit.items[0].check === 'database' &&
	    crit.items[0].text.trim() === '\u2716 Critical \u2014 Database ' +
	    'unreachable for 12 s (connection refused)' &&
	    crit.items[0].href === '#database' &&
	    crit.items[2].state === 'warning', '... each problem with its ' +
	    'state, summary and a link to its chart', crit && crit.items);
	report(crit !== null && crit.row &&
	    /Unreachable$/.test(crit.db) && crit.listener === '127.0.0.1:8080' &&
	    crit.more === 'The 3 fullest of 70 listeners.',
	    '... the checks list, the database and the listeners follow', crit);
	report(await page.evaluate(() => {
		const t = document.getElementById('database');
		return t !== null && document.querySelector(
		    '#verdict li a[href="#database"]') !== null;
	}), '... and the link leads to the database panel');
	await page.screenshot({ path: path.join(out, 'verdict-critical.png'),
	    fullPage: false });
	fixture = 'hostile';
	const hostile = await page.waitForFunction(() => {
		const li = document.querySelector('#verdict li.problem');
		const th = document.querySelector('#listeners-rows tr:last-child');
		return li !== null && /unreachable$/.test(li.textContent) &&
		    th !== null && /^<img/.test(th.textContent) && {
			banner: li.textContent,
			row: th.textContent,
			tags: document.querySelectorAll('#verdict img, ' +
			    '#checks img, #listeners img, #listeners svg').length,
			pwned: window.__pwned === undefined ? null : window.__pwned,
		};
	}, null, { timeout: 10000 }).then((h) => h.jsonValue(), () => null);
	report(hostile !== null && hostile.tags === 0 && hostile.pwned === null,
	    '... a hostile summary, address and process are text, not markup',
	    hostile);
	fixture = 'healthy';
	const healthy = await page.waitForFunction(() => {
		const v = document.getElementById('verdict');
		return v.dataset.state === 'ok' && {
			head: v.querySelector('.verdict-head').textContent.trim(),
			problems: v.querySelectorAll('li.problem').length,
			note: document.getElementById('verdict-note').textContent,
			rows: document.querySelectorAll(
			    '.check[data-state="ok"]').length,
		};
	}, null, { timeout: 10000 }).then((h) => h.jsonValue(), () => null);
	report(healthy !== null && healthy.head === '\u2714 Healthy' &&
	    healthy.problems === 0 && healthy.note === '11 checks pass.' &&
	    healthy.rows === 11, 'back to a healthy document: Healthy',
	    healthy);
	await page.screenshot({ path: path.join(out, 'verdict-healthy.png'),
	    fullPage: false });
	await page.unroute('**/api/metrics');

	// The sample's age is judged from its own timestamp, not from the
	// sample_age_ms of the answer: a cache repeating an old body (here
	// the route, answering with one captured answer whose sample_age_ms
	// says 0.3 s) makes the header say Stale within a few seconds.
	const frozen = await page.evaluate(() => fetch('/api/metrics',
	    { cache: 'no-store' }).then((r) => r.text()));
	const frozenDoc = JSON.parse(frozen);
	const frozenBody = JSON.stringify(Object.assign(withFixture(frozenDoc,
	    'healthy', frozenDoc.timestamp_ms), { sample_age_ms: 300 }));
	await page.route('**/api/metrics', (route) => route.fulfill({
		status: 200, contentType: 'application/json', body: frozenBody,
	}));
	const t0 = Date.now();
	const staleText = await page.waitForFunction(() => {
		const s = document.getElementById('live-state').textContent;
		return /^Stale: the last sample is /.test(s) && s;
	}, null, { timeout: 12000 }).then((h) => h.jsonValue(), () => null);
	const frozenSecs = (Date.now() - t0) / 1000;
	report(staleText !== null && frozenSecs < 9 &&
	    await page.evaluate(() => document.body.classList.contains(
	    'is-stale')), 'an answer repeated from a cache: the header says ' +
	    'Stale after ' + frozenSecs.toFixed(1) + ' s (' + staleText + ')',
	    { staleText, frozenSecs, live: await page.locator('#live-state')
	    .textContent() });
	const sampler = await page.evaluate(() => ({
		state: document.getElementById('verdict').dataset.state,
		items: Array.from(document.querySelectorAll('#verdict li'))
		    .map((li) => li.dataset.check + ': ' + li.textContent),
	}));
	report(sampler.state === 'warning' && sampler.items.length === 1 &&
	    /^sampler: \u25b2 Warning \u2014 The last sample is \d/.test(
	    sampler.items[0]), '... and the banner has the sampler a warning, ' +
	    'judged in the page', sampler);
	await page.unroute('**/api/metrics');
	report(await page.waitForFunction(() =>
	    document.getElementById('live-state').textContent === 'Live',
	    null, { timeout: 10000 }).then(() => true, () => false),
	    'fresh answers again: Live');

	// Push again, as the server offers it (where it does: data-live).
	await page.unroute('**/api/live');
	const push = await page.evaluate(() =>
	    document.documentElement.dataset.live === 'on');
	report(await reload(push ? 'live' : 'polling'), 'the page back in ' +
	    (push ? 'live push' : 'polling') + ' mode');

	// The pool stopped (SIGSTOP on its master and workers, pids from
	// dashboard.t): the header leaves Live within a few seconds, Stale
	// while the request waits, Not updating when it gives up.
	const pool = (process.env.VT_POOL_PIDS || '').split(' ')
	    .filter((p) => /^\d+$/.test(p)).map(Number);
	if (pool.length > 0) {
		const mark = failed.length;
		const markProblems = problems.length;
		pool.forEach((p) => process.kill(p, 'SIGSTOP'));
		const s0 = Date.now();
		let left = null;
		try {
			left = await page.waitForFunction(() => {
				const s = document.getElementById('live-state')
				    .textContent;
				return s !== 'Live' && document.body.classList
				    .contains('is-stale') && s;
			}, null, { timeout: 15000 }).then((h) => h.jsonValue(),
			    () => null);
		} finally {
			pool.forEach((p) => process.kill(p, 'SIGCONT'));
		}
		const stopSecs = (Date.now() - s0) / 1000;
		report(left !== null && stopSecs < 9, 'the pool stopped: the ' +
		    'header leaves Live after ' + stopSecs.toFixed(1) + ' s (' +
		    left + ')', { left, stopSecs });
		report(await page.waitForFunction(() =>
		    document.getElementById('live-state').textContent === 'Live',
		    null, { timeout: 30000 }).then(() => true, () => false),
		    'the pool resumed: Live again');
		// What the stop provoked: /api/metrics requests given up or
		// answered 504, the subscription to /api/live the page gave up
		// after 5 s of silence (the master, stopped, publishes
		// nothing), and Chromium's lines about them.
		const provoked = failed.splice(mark);
		report(provoked.every((f) => /\/api\/(metrics|live) /.test(f)),
		    'only /api/metrics and /api/live failed while the pool was ' +
		    'stopped', provoked);
		problems.splice(markProblems).forEach((s) => {
			if (!/Failed to load resource/.test(s))
				problems.push(s);
		});
	} else {
		report(false, 'VT_POOL_PIDS names the pool', process.env
		    .VT_POOL_PIDS);
	}

	// Nothing went wrong on the way.
	const csps = cspSeen.concat(await page.evaluate(() => window.__csp));
	report(csps.length === 0, 'no CSP violation', csps);
	const isExpected = (s) => expectedFailures.some((re) => re.test(s));
	const unexpectedFailed = failed.filter((s) => !isExpected(s));
	report(unexpectedFailed.length === 0, 'no failed request', failed);
	// Chromium logs a 4xx/5xx answer as "Failed to load resource": the
	// range test's own is expected (its URL is not in the message, so
	// they are counted).
	const resourceErrors = problems.filter((s) =>
	    /Failed to load resource/.test(s));
	const otherProblems = problems.filter((s) =>
	    !/Failed to load resource/.test(s));
	report(otherProblems.length === 0, 'no console error or warning',
	    otherProblems);
	report(resourceErrors.length <= failed.length - unexpectedFailed.length,
	    'no resource error but the range test\'s own', { resourceErrors,
	    failed });
}

drive(out, exe, run);
