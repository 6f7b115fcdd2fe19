// driver.js: what the browser drivers (dashboard.js, verdict-db.js,
// pool-fallback.js) share: one headless Chromium with a throw-away
// profile, the report line their .t files turn into TAP, the way a driver
// ends, the hand-over to its .t file and the banner as it reads.
'use strict';

const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

// One check: a JSON line {"ok":…,"name":…,"diag":…} on stdout.
function report(ok, name, diag) {
	const r = { ok: !!ok, name };
	if (!ok && diag !== undefined)
		r.diag = typeof diag === 'string' ? diag : JSON.stringify(diag);
	process.stdout.write(JSON.stringify(r) + '\n');
	return !!ok;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Run run(context) in a headless Chromium (exe) whose profile lives in a
// new folder under out, removed afterwards; then exit 0, or report the
// error and exit 1.
function drive(out, exe, run) {
	async function main() {
		const profile = fs.mkdtempSync(path.join(out, 'profile-'));
		const context = await chromium.launchPersistentContext(profile, {
			executablePath: exe,
			headless: true,
			args: ['--headless', '--no-sandbox', '--disable-gpu',
			    '--disable-quic', '--no-first-run',
			    '--disable-background-networking',
			    '--disable-component-update', '--disable-sync',
			    '--ignore-certificate-errors'],
			ignoreHTTPSErrors: true,
			viewport: { width: 1280, height: 900 },
			colorScheme: 'light',
			timeout: 30000,
		});
		try {
			await run(context);
		} finally {
			await context.close();
			fs.rmSync(profile, { recursive: true, force: true });
		}
	}

	main().then(() => process.exit(0), (e) => {
		report(false, 'the browser test ran to the end',
		    e && e.stack || e);
		process.exit(1);
	});
}

// Ask the .t file for something (an empty file out/ask) and wait for its
// answer (out/answer, VitalsBrowser::answer): the time it was done, in
// milliseconds.
async function handOver(out, ask, answer) {
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

// The banner: its state, its heading, its problems, its note, and the
// header's state.
function banner(page) {
	return page.evaluate(() => {
		const v = document.getElementById('verdict');
		return {
			state: v.dataset.state,
			head: v.querySelector('.verdict-head').textContent.trim(),
			items: Array.from(v.querySelectorAll('li.problem')).map(
			    (li) => li.dataset.check + ' ' + li.dataset.state +
			    ': ' + li.textContent.trim()),
			note: document.getElementById('verdict-note').textContent,
			live: document.getElementById('live-state').textContent,
		};
	});
}

// The context's first page on url, its console errors and warnings and
// its page errors collected into problems; reports that the banner says
// Healthy and the page is Live within 30 s ("who: …").  Returns the page.
async function openHealthy(context, url, problems, who) {
	const page = context.pages()[0] || await context.newPage();

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
	    who + ': the banner says Healthy, the page is Live',
	    await banner(page));
	return page;
}

module.exports = { report, sleep, drive, handOver, banner, openHealthy };
