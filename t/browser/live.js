#!/usr/bin/env node
// live.js: drive headless Chromium through the dashboard page in one of
// the transports of issue 13, for t/browser/live.t.
//
// Environment (set by live.t):
//   VT_URL       the page, https://127.0.0.1:PORT/ (a self-signed cert)
//   VT_EXPECT    what the page must do there:
//                  push      <html data-live="on">, samples over /api/live
//                            (EventSource), one a second, no polling;
//                  off       data-live="off": polling, /api/live never
//                            asked for;
//                  refused   data-live="on", but /api/live fails (live.t
//                            serves the page through a front server whose
//                            /api/live answers 503): polling, and the
//                            page keeps updating;
//                  silent    the same where /api/live is a stream that
//                            never brings a sample (a publisher that never
//                            publishes, a proxy that buffers): the page
//                            gives up on it and polls
//   VT_OUT       a folder for the screenshot and the browser's profile
//   VT_CHROMIUM  the browser (/usr/bin/chromium)
//
// Output: one JSON object a line, {"ok":true|false,"name":"…","diag":"…"}
// for each check; live.t turns them into TAP.  Exits 0 when it ran to the
// end (whatever the checks said), non-zero when it could not.
'use strict';

const fs = require('fs');
const path = require('path');
const { report, sleep, drive } = require('./driver');

const url = process.env.VT_URL;
const expect = process.env.VT_EXPECT;
const out = process.env.VT_OUT;
const exe = process.env.VT_CHROMIUM || '/usr/bin/chromium';

// How long the page is watched once in its mode, and how many new samples
// it must show meanwhile: pushed, every one of them (one a second, none
// skipped); polled through the one-second micro-cache (an entry lives up
// to about three seconds), fewer, but it must keep moving.
// "Updates every second" is judged exactly where it belongs to the page:
// live.t checks that the page showed every sample pushed to it while it
// was watched, against a subscriber of its own (VT_SHOWN: where the
// samples shown are written), so a page that skipped one fails whatever
// the machine's load.  How regularly the master publishes is the
// publisher's (t/integration/live.t); on this machine under a load of
// 15 it published 3 samples in 8 s once (the publisher's deadline and
// back-off, bench --live shows the same), so here the page must only keep
// moving, pushed as polled: 3 new samples in 8 s.
const WATCH_MS = 8000;
const PUSH_MIN_SAMPLES = 3;
const POLL_MIN_SAMPLES = 3;

async function run(context) {
	const page = context.pages()[0] || await context.newPage();
	const problems = [];		// console errors and warnings, page errors
	const failed = [];		// requests that failed or got >= 400
	const requests = [];		// [time, path] of every request

	await context.addInitScript(() => {
		window.__csp = [];
		document.addEventListener('securitypolicyviolation', (e) => {
			window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
		});
	});
	// Where push fails on purpose, the failed subscription is expected:
	// the browser logs the 503 of /api/live itself (and that its type is
	// not text/event-stream), and a silent stream the page closes is an
	// aborted request; anything else counts.
	const fallback = expect === 'refused' || expect === 'silent';
	const expected = (u) => fallback && /\/api\/live$/.test(u || '');
	page.on('console', (m) => {
		if (m.type() !== 'error' && m.type() !== 'warning')
			return;
		if (expected((m.location() || {}).url) ||
		    (expect === 'refused' &&
		    /^EventSource's response has a MIME type/.test(m.text())))
			return;
		problems.push(m.type() + ': ' + m.text());
	});
	page.on('pageerror', (e) => problems.push('page error: ' + e.message));
	page.on('request', (r) => requests.push([Date.now(),
	    new URL(r.url()).pathname]));
	page.on('requestfailed', (r) => {
		if (!expected(r.url()))
			failed.push(r.url() + ' ' + (r.failure() || {}).errorText);
	});
	page.on('response', (r) => {
		if (r.status() >= 400 && !expected(r.url()))
			failed.push(r.url() + ' ' + r.status());
	});

	const res = await page.goto(url, { waitUntil: 'load', timeout: 20000 });
	if (!report(res && res.status() === 200, 'GET / is 200 in the browser',
	    res && res.status()))
		return;
	const csp = res ? (await res.allHeaders())['content-security-policy'] : '';
	report(/connect-src 'self'/.test(csp || ''),
	    "the page's CSP allows connections to its own origin only", csp);
	const live = await page.evaluate(() =>
	    document.documentElement.dataset.live);
	report(live === (expect === 'off' ? 'off' : 'on'),
	    'the server renders data-live="' + (expect === 'off' ? 'off' :
	    'on') + '"', live);

	// The mode the page must settle in: live within a few seconds (the
	// server sends the latest sample on connect); polling at once when
	// push is off, or within the page's own judgement when push fails.
	const want = expect === 'push' ? 'live' : 'polling';
	const settled = await page.waitForFunction((m) =>
	    window.vitals && window.vitals.mode() === m, want,
	    { timeout: 15000 }).then(() => true, () => false);
	const mode = await page.evaluate(() => window.vitals.mode());
	report(settled, 'the page is in ' + want + ' mode', mode);
	const label = await page.evaluate(() => {
		const m = document.getElementById('live-mode');
		return m === null ? null : m.textContent;
	});
	report(label === (want === 'live' ? 'live push' : 'polling'),
	    'the header says ' + (want === 'live' ? 'live push' : 'polling'),
	    label);

	// Watch the page: every sample it shows, and the requests it makes.
	const t0 = Date.now();
	const shown = [];		// [browser time, sample timestamp_ms]
	const modes = new Set();
	while (Date.now() - t0 < WATCH_MS) {
		const s = await page.evaluate(() => ({
			ts: Number(document.documentElement.dataset.sampleTs || 0),
			mode: window.vitals.mode(),
		}));
		modes.add(s.mode);
		if (s.ts > 0 && (shown.length === 0 ||
		    shown[shown.length - 1][1] !== s.ts))
			shown.push([Date.now(), s.ts]);
		await sleep(100);
	}
	const fresh = shown.slice(1);	/* the first was there already */
	const during = requests.filter((r) => r[0] >= t0).map((r) => r[1]);
	const polls = during.filter((p) => p === '/api/metrics').length;
	const subs = requests.filter((r) => r[1] === '/api/live').length;
	if (expect === 'push') {
		const gaps = [];
		for (let i = 1; i < shown.length; i++)
			gaps.push(shown[i][1] - shown[i - 1][1]);
		report(fresh.length >= PUSH_MIN_SAMPLES,
		    'the page keeps showing new samples (' +
		    fresh.length + ' in ' + WATCH_MS / 1000 + ' s, ' +
		    'gaps ' + gaps.join(' ') + ' ms)', shown);
		if (process.env.VT_SHOWN)
			fs.writeFileSync(process.env.VT_SHOWN,
			    JSON.stringify(shown.map((x) => x[1])));
		report(polls === 0, 'no /api/metrics poll while pushed', during);
		report(subs >= 1, 'the page subscribed to /api/live', requests);
		report(modes.size === 1, 'it stays in live mode', [...modes]);
	} else {
		report(fresh.length >= POLL_MIN_SAMPLES,
		    'the page still updates by polling (' + fresh.length +
		    ' new samples in ' + WATCH_MS / 1000 + ' s)', shown);
		report(polls >= WATCH_MS / 1000 - 2,
		    'it polls /api/metrics about once a second (' + polls +
		    ')', during);
		if (expect === 'off')
			report(subs === 0, 'the page never asks for /api/live',
			    requests);
		else
			report(subs >= 1 && !modes.has('live'),
			    'it tried /api/live and stays polling while that fails',
			    { subs, modes: [...modes] });
	}
	const state = (await page.locator('#live-state').textContent()).trim();
	report(state === 'Live', 'the header says Live (the sample is fresh)',
	    state);

	await page.screenshot({ path: path.join(out, 'live-' + expect + '.png'),
	    fullPage: false });
	const csps = await page.evaluate(() => window.__csp);
	report(csps.length === 0, 'no CSP violation', csps);
	report(problems.length === 0, 'no console error or warning', problems);
	report(failed.length === 0, 'no failed request', failed);
}

drive(out, exe, run);
