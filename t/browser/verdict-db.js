#!/usr/bin/env node
// verdict-db.js: drive headless Chromium through the dashboard page while
// MariaDB is stopped and started again, for t/browser/verdict-db.t.
//
// Environment (set by verdict-db.t):
//   VT_URL       the page, https://127.0.0.1:PORT/ (a self-signed cert)
//   VT_OUT       a folder for the screenshots, the profile and the
//                hand-over files
//   VT_CHROMIUM  the browser (/usr/bin/chromium)
//
// verdict-db.t stops and starts MariaDB on request: this driver writes
// VT_OUT/stop-db (then start-db) and waits for VT_OUT/db-stopped (then
// db-started), which hold the time of the stop (start) in milliseconds.
// The critical page is saved as VT_OUT/verdict-critical.png, the healthy
// one as VT_OUT/verdict-healthy.png.
//
// Output: one JSON object a line, {"ok":true|false,"name":"…","diag":"…"};
// verdict-db.t turns them into TAP.  Exits 0 when it ran to the end.
'use strict';

const path = require('path');
const { report, drive, handOver, banner, openHealthy } =
    require('./driver');

const url = process.env.VT_URL;
const out = process.env.VT_OUT;
const exe = process.env.VT_CHROMIUM || '/usr/bin/chromium';

// Every figure of the page that the script fills in, as one string.
function figures(page) {
	return page.evaluate(() => Array.from(document.querySelectorAll(
	    '[data-k]')).map((e) => e.textContent).join('|'));
}

async function run(context) {
	const problems = [];
	const page = await openHealthy(context, url, problems, 'MariaDB up');

	// MariaDB stopped: the banner turns critical naming the database.
	const stopped = await handOver(out, 'stop-db', 'db-stopped');
	const crit = await page.waitForFunction(() => {
		const li = document.querySelector('#verdict li.problem' +
		    '[data-check="database"][data-state="critical"]');
		return document.getElementById('verdict').dataset.state ===
		    'critical' && li !== null && document.querySelector(
		    '.check[data-check="database"][data-state="critical"]') !==
		    null && li.textContent.trim();
	}, null, { timeout: 20000 }).then((h) => h.jsonValue(), () => null);
	const critSecs = (Date.now() - stopped) / 1000;
	report(crit !== null && /^\u2716 Critical \u2014 Database unreachable/
	    .test(crit), 'MariaDB stopped: the banner is critical, naming the ' +
	    'database, ' + critSecs.toFixed(1) + ' s after the stop (' + crit +
	    ')', await banner(page));
	report(crit !== null && critSecs < 8, 'within a few seconds (' +
	    critSecs.toFixed(1) + ' s, under 8)');
	const head = (await banner(page)).head;
	report(/^\u2716 Critical: Database/.test(head), 'the heading names ' +
	    'the database first (' + head + ')');
	report(/Unreachable$/.test(await page.locator('#db-status')
	    .textContent()), 'the database panel says Unreachable');

	// The rest of the page keeps updating meanwhile.
	const before = await figures(page);
	const moved = await page.waitForFunction((b) => Array.from(
	    document.querySelectorAll('[data-k]')).map((e) => e.textContent)
	    .join('|') !== b, before, { timeout: 10000 }).then(() => true,
	    () => false);
	const during = await banner(page);
	report(moved && during.live === 'Live' && during.state === 'critical',
	    'while it is critical the figures keep changing and the page ' +
	    'stays Live', during);
	await page.evaluate(() => window.scrollTo(0, 0));
	await page.screenshot({ path: path.join(out, 'verdict-critical.png'),
	    fullPage: false });

	// Started again: Healthy.
	const started = await handOver(out, 'start-db', 'db-started');
	const ok = await page.waitForFunction(() => {
		const v = document.getElementById('verdict');
		return v.dataset.state === 'ok' &&
		    v.querySelector('.verdict-head').textContent.trim();
	}, null, { timeout: 40000 }).then((h) => h.jsonValue(), () => null);
	const okSecs = (Date.now() - started) / 1000;
	report(ok === '\u2714 Healthy', 'MariaDB started again: the banner ' +
	    'says Healthy ' + okSecs.toFixed(1) + ' s after the start',
	    await banner(page));
	report(/OK$/.test(await page.locator('#db-status').textContent()),
	    'the database panel says OK');
	await page.screenshot({ path: path.join(out, 'verdict-healthy.png'),
	    fullPage: false });

	const other = problems.filter((s) =>
	    !/Failed to load resource/.test(s));
	report(other.length === 0, 'no console error or page error', other);
}

drive(out, exe, run);
