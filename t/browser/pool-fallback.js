#!/usr/bin/env node
// pool-fallback.js: drive headless Chromium through the dashboard while
// every worker of the pool is stopped, for t/browser/pool-fallback.t.
//
// Environment (set by pool-fallback.t):
//   VT_URL       the page, https://127.0.0.1:PORT/ (a self-signed cert)
//   VT_OUT       a folder for the screenshot, the profile and the
//                hand-over files
//   VT_CHROMIUM  the browser (/usr/bin/chromium)
//
// pool-fallback.t stops the workers (SIGSTOP, with connections waiting)
// and resumes them on request: this driver writes VT_OUT/stop-pool (then
// cont-pool) and waits for VT_OUT/pool-stopped (then pool-resumed),
// which hold the time it was done in milliseconds.  The page opened
// during the fault is saved as VT_OUT/pool-fallback.png.
//
// Issue 11's "done means": the page says what is wrong, at the top and
// in words, within 5 s of the fault, whether it was open already or is
// opened during the fault (the master's fallback, served by nginx).
//
// Output: one JSON object a line (driver.js); exits 0 when it ran to
// the end.
'use strict';

const path = require('path');
const { report, drive, handOver, banner, openHealthy } =
    require('./driver');

const url = process.env.VT_URL;
const out = process.env.VT_OUT;
const exe = process.env.VT_CHROMIUM || '/usr/bin/chromium';
const BUDGET_S = 5;

// Wait (at most timeout ms) until the banner is critical with the pool
// stuck in words; its problem's text, or null.
function waitStuck(page, timeout) {
	return page.waitForFunction(() => {
		const v = document.getElementById('verdict');
		const li = document.querySelector('#verdict li.problem' +
		    '[data-check="pool_queue"][data-state="critical"]');
		/* Null-safe: a page still arriving has no banner yet. */
		return v !== null && v.dataset.state === 'critical' &&
		    li !== null && /Pool stuck/.test(li.textContent) &&
		    li.textContent.trim();
	}, null, { timeout, polling: 50 }).then((h) => h.jsonValue(),
	    () => null);
}

async function run(context) {
	const problems = [];
	const page = await openHealthy(context, url, problems, 'the pool serves');

	// The page already open when every worker stops.
	const stopped = await handOver(out, 'stop-pool', 'pool-stopped');
	const crit = await waitStuck(page, 20000);
	const critSecs = (Date.now() - stopped) / 1000;
	report(crit !== null && /^\u2716 Critical \u2014 Pool stuck: no worker accepting/
	    .test(crit), 'an open page: the banner is critical, "Pool stuck", ' +
	    critSecs.toFixed(1) + ' s after the stop (' + crit + ')',
	    await banner(page));
	report(crit !== null && critSecs <= BUDGET_S, 'within ' + BUDGET_S +
	    ' s (' + critSecs.toFixed(1) + ' s)');
	const b = await banner(page);
	report(/^\u2716 Critical: Pool queue/.test(b.head), 'the heading ' +
	    'names the pool\u2019s queue first (' + b.head + ')', b);
	const marked = await page.waitForFunction(() =>
	    /the master/.test(document.getElementById('verdict-note')
	    .textContent) && /not answering/.test(document.getElementById(
	    'live-state').textContent), null, { timeout: 5000 }).then(
	    () => true, () => false);
	report(marked, 'the page says the verdict is the master\u2019s and ' +
	    'the pool is not answering', await banner(page));

	// A page opened during the fault: the master's page, then its
	// script's polls, from the fallback.
	const second = await context.newPage();
	second.on('pageerror', (e) => problems.push('pageerror: ' +
	    e.message));
	// Timed to the parsed page (its banner comes first in the master's
	// page), not to the load event, which waits for every asset.
	const opened = Date.now();
	const res = await second.goto(url, { waitUntil: 'domcontentloaded' });
	const openSecs = (Date.now() - opened) / 1000;
	const h = res === null ? {} : await res.allHeaders();
	report(res !== null && /^50[234]$/.test(String(res.status())) &&
	    h['x-vitals-source'] === 'master-fallback', 'a page opened ' +
	    'during the fault: ' + (res && res.status()) + ' from the ' +
	    'master\u2019s fallback, its answer in ' + openSecs.toFixed(1) + ' s',
	    h);
	const crit2 = await waitStuck(second, 20000);
	const shownSecs = (Date.now() - opened) / 1000;
	report(crit2 !== null && shownSecs <= BUDGET_S, 'it shows "Pool ' +
	    'stuck" in the banner ' + shownSecs.toFixed(1) + ' s after it ' +
	    'was opened (within ' + BUDGET_S + ' s)', await banner(second));
	await second.evaluate(() => window.scrollTo(0, 0));
	await second.screenshot({ path: path.join(out, 'pool-fallback.png'),
	    fullPage: false });
	await second.close();

	// The workers resume: the pool answers again, the mark goes.
	const resumed = await handOver(out, 'cont-pool', 'pool-resumed');
	const back = await page.waitForFunction(() =>
	    document.getElementById('live-state').textContent === 'Live' &&
	    document.getElementById('verdict-note').textContent.indexOf(
	    'the master') === -1, null, { timeout: 20000 }).then(() => true,
	    () => false);
	report(back, 'the workers resumed: the page is Live from the pool ' +
	    'again, ' + ((Date.now() - resumed) / 1000).toFixed(1) +
	    ' s after', await banner(page));
	const ok = await page.waitForFunction(() =>
	    document.getElementById('verdict').dataset.state === 'ok',
	    null, { timeout: 30000 }).then(() => true, () => false);
	report(ok, 'and the banner says Healthy after check_clear, ' +
	    ((Date.now() - resumed) / 1000).toFixed(1) + ' s after',
	    await banner(page));

	const other = problems.filter((s) =>
	    !/Failed to load resource/.test(s));
	report(other.length === 0, 'no console error or page error', other);
}

drive(out, exe, run);
