// driver.js: what the browser drivers (dashboard.js, verdict-db.js) share:
// one headless Chromium with a throw-away profile, the report line their
// .t files turn into TAP, and the way a driver ends.
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

module.exports = { report, sleep, drive };
