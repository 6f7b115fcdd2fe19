#!/usr/bin/env node
// vendor.js: copy uPlot's dist files from node_modules (the version that
// package-lock.json pins) into app/static/vendor/, which is committed so
// that building and `./stack up` never need npm.
//
//   npm ci && npm run vendor          refresh app/static/vendor/
//   npm run vendor:check              exit 1 when they differ from
//                                     node_modules (a stale copy)
'use strict';

const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const from = path.join(root, 'node_modules', 'uplot');
const to = path.join(root, 'app', 'static', 'vendor');
// [file in the package, file in app/static/vendor]
const files = [
	['dist/uPlot.iife.min.js', 'uPlot.iife.min.js'],
	['dist/uPlot.min.css', 'uPlot.min.css'],
	['LICENSE', 'uPlot.LICENSE'],
];
const check = process.argv.includes('--check');

let pkg;
try {
	pkg = JSON.parse(fs.readFileSync(path.join(from, 'package.json'), 'utf8'));
} catch (e) {
	console.error('vendor: node_modules/uplot is missing: run `npm ci` first');
	process.exit(2);
}

let stale = 0;
for (const [src, dst] of files) {
	const a = fs.readFileSync(path.join(from, src));
	const target = path.join(to, dst);
	let b = null;
	try {
		b = fs.readFileSync(target);
	} catch (e) {
		b = null;
	}
	if (b !== null && a.equals(b)) {
		continue;
	}
	if (check) {
		console.error(`vendor: app/static/vendor/${dst} is not uplot ` +
		    `${pkg.version}'s ${src}`);
		stale++;
		continue;
	}
	fs.mkdirSync(to, { recursive: true });
	fs.writeFileSync(target, a);
	console.log(`vendor: uplot ${pkg.version} ${src} -> app/static/vendor/${dst}`);
}
if (check) {
	if (stale) {
		console.error('vendor: run `npm run vendor`');
		process.exit(1);
	}
	console.log(`vendor: app/static/vendor/ is uplot ${pkg.version}`);
}
