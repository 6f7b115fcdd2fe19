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

const fs = require('fs');
const path = require('path');
const { report, sleep, drive } = require('./driver');

const url = process.env.VT_URL;
const out = process.env.VT_OUT;
const exe = process.env.VT_CHROMIUM || '/usr/bin/chromium';

// Ask verdict-db.t for something and wait for its answer: the time it
// was done, in milliseconds.
async function handOver(ask, answer) {
	fs.writeFileSync(path.join(out, ask), '');
	const file = path.join(out, answer);
	const end = Date.now() + 60000;
	while (Date.now() < end) {
		if (fs.existsSync(file)) {
			const ms = Number(fs.readFileSync(file, 'utf8'));
			if (ms > 0)
				return ms;
		}
		await sleep(50);
	}
	throw new Error('no ' + answer + ' within 60 s');
}

// Every figure of the page that the script fills in, as one string.
function figures(page) {
	return page.evaluate(() => Array.from(document.querySelectorAll(
	    '[data-k]')).map((e) => e.textContent).join('|'));
}

// The banner: its state, its heading, its problems.
function banner(page) {
	return page.evaluate(() => {
		const v = document.getElementById('verdict');
		return {
			state: v.dataset.state,
			head: v.querySelector('.verdict-head').textContent.trim(),
			items: Array.from(v.querySelectorAll('li.problem')).map(
			    (li) => li.dataset.check + ' ' + li.dataset.state +
			    ': ' + li.textContent.trim()),
			live: document.getElementById('live-state').textContent,
		};
	});
}

async function run(context) {
	const page = context.pages()[0] || await context.newPage();
	const problems = [];

	page.on('console', (m) => {
		if (m.type() === 'error' || m.type() === 'warning')
			problems.push(m.type() + ': ' + m.text());
	});
	page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
	await page.goto(url, { waitUntil: 'load' });

	report(await page.waitForFunction(() =>
	    document.getElementById('verdict').dataset.state === 'ok' &&
	    document.getElementById('live-state').textContent === 'Live',
	    null, { timeout: 30000 }).then(() => true, () => false),
	    'MariaDB up: the banner says Healthy, the page is Live',
	    await banner(page));

	// MariaDB stopped: the banner turns critical naming the database.
	const stopped = await handOver('stop-db', 'db-stopped');
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
	const started = await handOver('start-db', 'db-started');
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
