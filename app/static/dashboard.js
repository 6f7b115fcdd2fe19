/*
 * dashboard.js: the live part of the Vitals page (GET /).
 *
 * The server renders the first paint (app/render/html.c); this script
 * then takes each new sample and updates the same elements in place.
 * Where the server pushes (<html data-live="on">: nginx's Nchan fans
 * every sample out at /api/live), it subscribes with EventSource and
 * polls nothing; otherwise, or while the push fails, it polls
 * /api/metrics once a second (see "The transport" below).  In place: each figure is a [data-k] element naming its path in the
 * document and [data-f] its format, and the tables are rebuilt from the
 * document with DOM methods (textContent only: no markup from data ever
 * reaches innerHTML).  The charts (uPlot, /static/vendor/) load
 * /api/history for the chosen range and take the live points as they
 * come.  The page's CSP allows no inline script or style; uPlot sets
 * its sizes through the CSSOM, which the CSP allows.
 *
 * fmt() must format exactly as html_fmt() in app/render/html.c.
 */
(function () {
	'use strict';

	var DASH = '\u2014';
	var UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
	var POLL_MS = 1000;
	var POLL_MAX_MS = 10000;
	var REQUEST_TIMEOUT_MS = 5000;
	/*
	 * nginx's mark on an answer that the master's fallback files gave
	 * because the pool did not answer in time (app/fallback.h).
	 */
	var SOURCE_HEADER = 'X-Vitals-Source';
	var FALLBACK_SOURCE = 'master-fallback';
	var HISTORY_REFRESH_MS = 60000;
	/*
	 * Push (EventSource at /api/live).  A subscription that brings no
	 * sample within PUSH_SILENCE_MS counts as failed, on connect as
	 * later: the server sends the latest sample at once and then one a
	 * second, so silence means a proxy that buffers the stream, a
	 * stalled nginx or a publisher that stopped.  The page then polls,
	 * and tries push again after PUSH_RETRY_MS, doubled at each failure
	 * in a row up to PUSH_RETRY_MAX_MS, with a random fifth either way
	 * so that a thousand pages dropped at once do not come back at once.
	 */
	var LIVE_URL = '/api/live';
	var PUSH_SILENCE_MS = 5000;
	var PUSH_RETRY_MS = 1000;
	var PUSH_RETRY_MAX_MS = 300000;
	/*
	 * A sample older than this (judged in the browser, see sampleAge())
	 * makes the header say Stale: a sample a second, the micro-cache's
	 * two seconds at most and a poll a second stay well below it.
	 */
	var STALE_AGE_MS = 5000;
	/*
	 * The sampler check, judged here from the sample's age as html.c
	 * judges it from sample_age_ms: a warning past 5 s, critical past
	 * 30 s (the master cannot report its own stall).
	 */
	var SAMPLER_WARN_MS = 5000;
	var SAMPLER_CRIT_MS = 30000;
	/* The page's bounds, as html.c's. */
	var CHECKS_MAX = 32;
	var LISTENERS_MAX = 64;
	/* A check's state: its weight, word and glyph (html_states). */
	var STATES = {
		ok: { rank: 0, word: 'OK', glyph: '\u2714' },
		unknown: { rank: 1, word: 'Unknown', glyph: '?' },
		warning: { rank: 2, word: 'Warning', glyph: '\u25b2' },
		critical: { rank: 3, word: 'Critical', glyph: '\u2716' }
	};
	/* The checks' names as the page writes them (html_check_names). */
	var CHECK_LABELS = {
		database: 'Database', pool_queue: 'Pool queue',
		pool_restarts: 'Pool restarts', listeners: 'Listeners',
		listen_overflows: 'Listen overflows', close_wait: 'CLOSE_WAIT',
		filesystem: 'Filesystems', memory: 'Memory', cpu: 'CPU',
		file_descriptors: 'File descriptors', sampler: 'Sampler'
	};
	/* Where a check's chart leads (html_chart_ids). */
	var CHART_TARGETS = {
		db: 'database', pool: 'pool', net: 'fig-tcp', disk: 'fs',
		mem: 'fig-memory', cpu: 'fig-cpu'
	};
	/* The /health categories in the database panel (html_health). */
	var HEALTH = {
		ok: ['ok', 'OK'],
		unreachable: ['critical', 'Unreachable'],
		timeout: ['critical', 'Not answering in time'],
		auth: ['critical', 'Access denied'],
		schema: ['critical', 'Wrong schema'],
		error: ['critical', 'Error'],
		unknown: ['unknown', 'Not checked yet']
	};
	/* How many new samples the clock offset is taken from. */
	var OFFSET_SAMPLES = 30;
	var AGE_TICK_MS = 1000;
	var CHART_HEIGHT = 180;
	/* The ranges the sample ring answers; longer ones come from the DB. */
	var RANGES = {
		'5m': { seconds: 300, label: '5 min', ring: true },
		'15m': { seconds: 900, label: '15 min', ring: true },
		'1h': { seconds: 3600, label: '1 h', ring: true },
		'6h': { seconds: 21600, label: '6 h', ring: false },
		'24h': { seconds: 86400, label: '24 h', ring: false },
		'7d': { seconds: 604800, label: '7 d', ring: false },
		'30d': { seconds: 2592000, label: '30 d', ring: false }
	};
	/* The charts: /api/history series, colours from dashboard.css. */
	var CHARTS = [
		{ id: 'cpu', fmt: 'pct', max: 100, series: [
			{ key: 'cpu_percent', label: 'busy', color: '--c1',
			    fill: true }] },
		{ id: 'load', fmt: 'load', series: [
			{ key: 'load1', label: 'load 1 min', color: '--c3',
			    fill: true }] },
		{ id: 'memory', fmt: 'bytes', series: [
			{ key: 'mem_used_bytes', label: 'used', color: '--c1',
			    fill: true },
			{ key: 'mem_available_bytes', label: 'available',
			    color: '--c4' },
			{ key: 'swap_used_bytes', label: 'swap used',
			    color: '--c2' }] },
		{ id: 'network', fmt: 'rate', series: [
			{ key: 'net_rx_bytes_per_second', label: 'receive',
			    color: '--c1' },
			{ key: 'net_tx_bytes_per_second', label: 'transmit',
			    color: '--c2' }] },
		{ id: 'disk', fmt: 'rate', series: [
			{ key: 'disk_read_bytes_per_second', label: 'read',
			    color: '--c4' },
			{ key: 'disk_write_bytes_per_second', label: 'write',
			    color: '--c2' }] },
		{ id: 'tcp', fmt: 'int', series: [
			{ key: 'tcp_established', label: 'established',
			    color: '--c1' },
			{ key: 'tcp_close_wait', label: 'CLOSE_WAIT',
			    color: '--bad' }] }
	];

	/* Axis steps: powers of two of the IEC units for sizes and rates. */
	var BYTE_INCRS = [];
	var COUNT_INCRS = [];

	[1, 1024, 1048576, 1073741824, 1099511627776].forEach(function (u) {
		[1, 2, 4, 8, 16, 32, 64, 128, 256, 512].forEach(function (m) {
			BYTE_INCRS.push(u * m);
		});
	});
	[1, 10, 100, 1000, 10000, 100000, 1000000].forEach(function (u) {
		[1, 2, 5].forEach(function (m) {
			COUNT_INCRS.push(u * m);
		});
	});

	var root = document.documentElement;
	var state = {
		range: '5m',
		history: null,		/* { ts: [s], series: {key: []} } */
		historyOk: false,
		historySeq: 0,
		historyTimer: null,
		lastTs: 0,
		sampleTs: 0,		/* the latest answer's timestamp_ms */
		offsets: [],		/* receipt - timestamp_ms, new samples */
		failures: 0,
		pollTimer: null,
		polling: false,
		mode: '',		/* 'live' (push) or 'polling' */
		source: null,		/* the EventSource while subscribed */
		pushAt: 0,		/* when it connected or last brought one */
		pushFailures: 0,	/* push failures in a row */
		pushTimer: null,	/* the next try of push */
		updates: 0,
		charts: [],
		live: '',
		doc: null,		/* the latest /api/metrics answer */
		fallback: 0,		/* its status when the master's fallback
					   answered it, 0 when the pool did */
		verdictKey: '',
		checksKey: ''
	};

	/* --- Formatting: the same rules as html_fmt() ------------------- */

	function round(v, dec) {
		var p = Math.pow(10, dec);

		return Math.round(v * p) / p;
	}

	function duration(v) {
		var s = Math.floor(v < 0 ? 0 : v > 1e15 ? 1e15 : v);
		var d = Math.floor(s / 86400);
		var h = Math.floor(s % 86400 / 3600);
		var m = Math.floor(s % 3600 / 60);

		if (d > 0)
			return d + ' d ' + h + ' h';
		if (h > 0)
			return h + ' h ' + m + ' min';
		if (m > 0)
			return m + ' min ' + (s % 60) + ' s';
		return s + ' s';
	}

	function fmt(v, f) {
		var u = 0, dec;

		if (f === 'str')
			return typeof v === 'string' ? v : DASH;
		if (typeof v !== 'number' || !isFinite(v))
			return DASH;
		switch (f) {
		case 'pct':
			return round(v, 1).toFixed(1) + ' %';
		case 'load':
			return round(v, 2).toFixed(2);
		case 'ps':
			return round(v, 0).toFixed(0) + '/s';
		case 'bytes':
		case 'rate':
			while (Math.abs(v) >= 1024 && u + 1 < UNITS.length) {
				v /= 1024;
				u++;
			}
			dec = u === 0 ? 0 : Math.abs(v) < 10 ? 2 :
			    Math.abs(v) < 100 ? 1 : 0;
			return round(v, dec).toFixed(dec) + ' ' + UNITS[u] +
			    (f === 'rate' ? '/s' : '');
		case 'ms':
			if (Math.abs(v) < 10)
				return round(v, 1).toFixed(1) + ' ms';
			if (v < 10000)
				return round(v, 0).toFixed(0) + ' ms';
			/* falls through */
		case 'age':
			if (v < 10000)
				return round(v / 1000, 1).toFixed(1) + ' s';
			return duration(v / 1000);
		case 'dur':
			return duration(v);
		default:
			return round(v, 0).toFixed(0);
		}
	}

	/* Shorter labels for a chart's axis. */
	function axisFmt(v, f) {
		if (f === 'pct')
			return round(v, 0).toFixed(0) + ' %';
		if (f === 'int')
			return Number.isInteger(v) ? String(v) : '';
		if (f === 'load')
			return String(round(v, 2));
		return fmt(v, f === 'rate' ? 'bytes' : f).replace(/\.0+ /, ' ');
	}

	function pad2(n) {
		return (n < 10 ? '0' : '') + n;
	}

	/*
	 * A time axis label in local time, as precise as the ticks' step
	 * (incr, seconds): 17:32:10, 17:32, or 11-22 for whole days.
	 */
	function timeLabel(t, incr) {
		var d = new Date(t * 1000);
		var hm = pad2(d.getHours()) + ':' + pad2(d.getMinutes());

		if (incr < 60)
			return hm + ':' + pad2(d.getSeconds());
		if (incr < 86400)
			return hm;
		return pad2(d.getMonth() + 1) + '-' + pad2(d.getDate());
	}

	/* --- The document --------------------------------------------------- */

	function get(o, path) {
		var parts = path.split('.');
		var i;

		for (i = 0; i < parts.length; i++) {
			if (o === null || typeof o !== 'object' || Array.isArray(o))
				return undefined;
			o = o[parts[i]];
		}
		return o;
	}

	function num(v) {
		return typeof v === 'number' && isFinite(v) ? v : null;
	}

	/*
	 * The chart series' values in one sample, as the sampler records
	 * them: the sums and the estimate are the document's "derived"
	 * member, computed once by the sampler (app/derive.c).
	 */
	function livePoint(m) {
		return {
			cpu_percent: num(get(m, 'cpu.total.busy_percent')),
			load1: num(get(m, 'load.load1')),
			mem_used_bytes: num(get(m, 'memory.used_bytes')),
			mem_available_bytes:
			    num(get(m, 'derived.mem_available_bytes')),
			swap_used_bytes: num(get(m, 'memory.swap_used_bytes')),
			net_rx_bytes_per_second:
			    num(get(m, 'derived.net_rx_bytes_per_second')),
			net_tx_bytes_per_second:
			    num(get(m, 'derived.net_tx_bytes_per_second')),
			disk_read_bytes_per_second:
			    num(get(m, 'derived.disk_read_bytes_per_second')),
			disk_write_bytes_per_second:
			    num(get(m, 'derived.disk_write_bytes_per_second')),
			tcp_established: num(get(m, 'tcp.states.established')),
			tcp_close_wait: num(get(m, 'tcp.states.close_wait'))
		};
	}

	/* --- The DOM ------------------------------------------------------ */

	function el(tag, cls, text) {
		var e = document.createElement(tag);

		if (cls)
			e.className = cls;
		if (text !== undefined)
			e.textContent = text;
		return e;
	}

	function setText(e, t) {
		if (e.textContent !== t)
			e.textContent = t;
	}

	function bindFigures(m) {
		var els = document.querySelectorAll('[data-k]');
		var i;

		for (i = 0; i < els.length; i++)
			setText(els[i], fmt(get(m, els[i].dataset.k),
			    els[i].dataset.f));
		if (typeof get(m, 'host.hostname') === 'string')
			document.title = m.host.hostname + ' \u00b7 Vitals';
	}

	/*
	 * A row is { cls, cells: [{ th, cls, text, meter }] }.  When the
	 * table has the same shape, cells are updated in place (a selection
	 * or a scroll position survives); otherwise the body is rebuilt.
	 */
	function renderRows(id, rows, cols, empty) {
		var tb = document.getElementById(id + '-rows');
		var trs, same, i, j, frag, tr, c, td, cells;

		if (tb === null)
			return;
		if (rows.length === 0)
			rows = [{ cells: [{ cls: 'empty', text: empty,
			    span: cols }] }];
		trs = tb.rows;
		same = trs.length === rows.length;
		for (i = 0; same && i < rows.length; i++) {
			same = trs[i].cells.length === rows[i].cells.length &&
			    trs[i].className === (rows[i].cls || '');
			for (j = 0; same && j < rows[i].cells.length; j++)
				same = trs[i].cells[j].tagName ===
				    (rows[i].cells[j].th ? 'TH' : 'TD') &&
				    !!trs[i].cells[j].querySelector('meter') ===
				    (rows[i].cells[j].meter !== undefined);
		}
		if (same) {
			for (i = 0; i < rows.length; i++) {
				for (j = 0; j < rows[i].cells.length; j++) {
					c = rows[i].cells[j];
					td = trs[i].cells[j];
					if (c.meter === undefined) {
						setText(td, c.text);
						continue;
					}
					td.firstChild.value = c.meter;
					setText(td.lastChild, c.text);
				}
			}
			return;
		}
		frag = document.createDocumentFragment();
		for (i = 0; i < rows.length; i++) {
			tr = el('tr', rows[i].cls);
			cells = rows[i].cells;
			for (j = 0; j < cells.length; j++) {
				c = cells[j];
				td = el(c.th ? 'th' : 'td', c.cls);
				if (c.th)
					td.scope = 'row';
				if (c.span)
					td.colSpan = c.span;
				if (c.meter !== undefined) {
					td.appendChild(meter(c.meter));
					td.appendChild(document.createTextNode(' '));
					td.appendChild(el('span', '', c.text));
				} else {
					td.textContent = c.text;
				}
				tr.appendChild(td);
			}
			frag.appendChild(tr);
		}
		tb.replaceChildren(frag);
	}

	function meter(v) {
		var m = document.createElement('meter');

		m.min = 0;
		m.max = 100;
		m.low = 80;
		m.high = 90;
		m.optimum = 0;
		m.value = v;
		return m;
	}

	function head(text) {
		return { th: true, text: typeof text === 'string' ? text : DASH };
	}

	function n(o, key, f) {
		return { cls: 'num', text: fmt(o[key], f) };
	}

	function both(o, a, b) {
		var x = num(o[a]), y = num(o[b]);

		return { cls: 'num', text: x !== null && y !== null ?
		    fmt(x + y, 'int') : DASH };
	}

	function objects(a) {
		return Array.isArray(a) ? a.filter(function (o) {
			return o !== null && typeof o === 'object';
		}) : [];
	}

	function renderTables(m) {
		var tcp = get(m, 'tcp.states');
		var rows;

		renderRows('net', objects(m.network).slice(0, 64).map(function (o) {
			return { cells: [head(o.interface),
			    n(o, 'rx_bytes_per_second', 'rate'),
			    n(o, 'tx_bytes_per_second', 'rate'),
			    n(o, 'rx_packets_per_second', 'ps'),
			    n(o, 'tx_packets_per_second', 'ps'),
			    both(o, 'rx_errors_total', 'tx_errors_total'),
			    both(o, 'rx_drops_total', 'tx_drops_total')] };
		}), 7, 'No interfaces');

		renderRows('fs', objects(m.filesystems).slice(0, 64).map(
		    function (o) {
			var pct = num(o.used_percent), use;

			if (pct !== null)
				use = { cls: 'use', meter: round(pct, 1),
				    text: fmt(pct, 'pct') };
			else if (typeof o.state === 'string' && o.state !== 'ok')
				use = { cls: 'use', text: o.state };
			else
				use = { cls: 'use', text: DASH };
			return { cells: [head(o.mountpoint),
			    { text: fmt(o.device, 'str') },
			    { text: fmt(o.fstype, 'str') +
			    (o.readonly === true ? ' (ro)' : '') },
			    n(o, 'size_bytes', 'bytes'),
			    n(o, 'used_bytes', 'bytes'),
			    n(o, 'avail_bytes', 'bytes'), use] };
		}), 7, 'No filesystems');

		renderRows('disk', objects(m.disks).slice(0, 64).map(function (o) {
			return { cells: [head(o.name),
			    n(o, 'read_bytes_per_second', 'rate'),
			    n(o, 'write_bytes_per_second', 'rate'),
			    n(o, 'reads_per_second', 'ps'),
			    n(o, 'writes_per_second', 'ps'),
			    n(o, 'busy_percent', 'pct')] };
		}), 6, 'No disks');

		rows = [];
		if (tcp !== null && typeof tcp === 'object' && !Array.isArray(tcp))
			rows = Object.keys(tcp).slice(0, 32).map(function (k) {
				return { cls: k === 'close_wait' ? 'watch' : '',
				    cells: [head(k.toUpperCase()),
				    n(tcp, k, 'int')] };
			});
		renderRows('tcp', rows, 2, 'Not known');

		['top_cpu', 'top_memory'].forEach(function (key) {
			renderRows(key === 'top_cpu' ? 'top-cpu' : 'top-mem',
			    objects(get(m, 'processes.' + key)).slice(0, 10).map(
			    function (o) {
				return { cells: [n(o, 'pid', 'int'), head(o.name),
				    { text: fmt(o.state, 'str') },
				    n(o, 'cpu_percent', 'pct'),
				    n(o, 'rss_bytes', 'bytes')] };
			}), 5, 'Not known yet');
		});
		renderListeners(m);
	}

	/* --- The checks ----------------------------------------------------- */

	function stateOf(s) {
		return typeof s === 'string' &&
		    Object.prototype.hasOwnProperty.call(STATES, s) ? s :
		    'unknown';
	}

	function checkLabel(name) {
		return typeof name === 'string' &&
		    Object.prototype.hasOwnProperty.call(CHECK_LABELS, name) ?
		    CHECK_LABELS[name] : fmt(name, 'str');
	}

	/* The server's clock now, or null before the first sample. */
	function serverNow() {
		if (state.offsets.length === 0)
			return null;
		return Date.now() - Math.min.apply(null, state.offsets);
	}

	/* "12 s ago" from a wall-clock time in ms, or a dash. */
	function ago(now, ms) {
		if (now === null || num(ms) === null)
			return DASH;
		return fmt(Math.max(0, now - ms), 'age') + ' ago';
	}

	/*
	 * The checks block's items as the page shows them, the sampler
	 * judged from the sample's age (sampleAge()): the document's own
	 * sampler item says ok whenever the master could write it.
	 */
	function checkItems(checks, age, now) {
		return objects(checks.items).slice(0, CHECKS_MAX).map(
		    function (o) {
			var it = {
				name: typeof o.name === 'string' ? o.name : null,
				state: stateOf(o.state),
				summary: fmt(o.summary, 'str'),
				since: num(o.since_ms),
				chart: o.chart
			};

			if (it.name === 'sampler' && age !== null &&
			    age > SAMPLER_WARN_MS) {
				it.state = age > SAMPLER_CRIT_MS ? 'critical' :
				    'warning';
				it.summary = 'The last sample is ' + fmt(age, 'age') +
				    ' old';
				it.since = now !== null ? now - age : null;
			}
			return it;
		});
	}

	function glyph(st) {
		var g = el('span', 'glyph', STATES[st].glyph);

		g.setAttribute('aria-hidden', 'true');
		return g;
	}

	/* A state as its glyph and its word, the children of e. */
	function setState(e, st, word) {
		e.replaceChildren(glyph(st), document.createTextNode(' ' +
		    (word === undefined ? STATES[st].word : word)));
	}

	/*
	 * The banner (html_verdict()): the worst state, the problems'
	 * names (the live region: it changes on a transition only), the
	 * problems critical first with their summaries and links, and a
	 * note.
	 */
	function renderVerdict(m, items) {
		var box = document.getElementById('verdict');
		var checks = get(m, 'checks');
		var st = 'unknown', head = null, note = '';
		var problems = [], pass = 0, unknown = 0, key, list, worst = 0;

		if (box === null)
			return;
		if (items === null) {
			head = 'Checks not available';
		} else {
			st = stateOf(checks.verdict);
			items.forEach(function (it) {
				worst = Math.max(worst, STATES[it.state].rank);
				if (it.state === 'ok')
					pass++;
				else if (it.state === 'unknown')
					unknown++;
			});
			['critical', 'warning'].forEach(function (s) {
				items.forEach(function (it) {
					if (it.state === s)
						problems.push(it);
				});
			});
			if (worst >= STATES.warning.rank &&
			    worst > STATES[st].rank)
				st = worst === STATES.critical.rank ? 'critical' :
				    'warning';
			if (st === 'ok') {
				head = 'Healthy';
				note = pass + (pass === 1 ? ' check' : ' checks') +
				    ' pass' + (unknown > 0 ? '; ' + unknown +
				    ' cannot be judged' : '') + '.';
			} else if (problems.length === 0) {
				note = fmt(checks.headline, 'str');
				if (note === DASH)
					note = '';
			}
		}
		box.dataset.state = st;
		setText(document.getElementById('verdict-glyph'),
		    STATES[st].glyph);
		setText(document.getElementById('verdict-state'),
		    head !== null ? head : STATES[st].word);
		setText(document.getElementById('verdict-names'),
		    problems.length === 0 ? '' : ': ' + problems.map(
		    function (it) {
			return checkLabel(it.name);
		    }).join(', '));
		if (state.fallback !== 0)
			note = (note === '' ? '' : note + ' ') + 'The pool is ' +
			    'not answering (HTTP ' + state.fallback + '): this ' +
			    'verdict is the master\u2019s, served by nginx.';
		setText(document.getElementById('verdict-note'), note);
		key = JSON.stringify(problems.map(function (it) {
			return [it.name, it.state, it.summary, it.chart];
		}));
		if (key === state.verdictKey)
			return;
		state.verdictKey = key;
		list = document.createDocumentFragment();
		problems.forEach(function (it) {
			var li = el('li', 'problem');
			var a = el('a', '', it.summary);

			li.dataset.check = it.name === null ? DASH : it.name;
			li.dataset.state = it.state;
			a.href = '#' + (typeof it.chart === 'string' &&
			    Object.prototype.hasOwnProperty.call(CHART_TARGETS,
			    it.chart) ? CHART_TARGETS[it.chart] : 'checks');
			setState(li, it.state);
			li.appendChild(document.createTextNode(' \u2014 '));
			li.appendChild(a);
			list.appendChild(li);
		});
		document.getElementById('verdict-list').replaceChildren(list);
	}

	/* Every check (html_checks()): updated in place while the names stay. */
	function renderCheckRows(items, absent, now) {
		var tb = document.getElementById('checks-rows');
		var key, frag, i, tr, it;

		if (tb === null)
			return;
		key = JSON.stringify((items || []).map(function (x) {
			return x.name;
		}));
		if (items === null || items.length === 0) {
			state.checksKey = '';
			renderRows('checks', [], 4, absent ? 'Checks not available' :
			    'No checks');
			return;
		}
		if (key !== state.checksKey || tb.rows.length !== items.length) {
			state.checksKey = key;
			frag = document.createDocumentFragment();
			items.forEach(function () {
				tr = el('tr', 'check');
				tr.appendChild(el('td', 'st'));
				tr.appendChild(el('th'));
				tr.lastChild.scope = 'row';
				tr.appendChild(el('td', 'since'));
				tr.appendChild(el('td'));
				frag.appendChild(tr);
			});
			tb.replaceChildren(frag);
		}
		for (i = 0; i < items.length; i++) {
			it = items[i];
			tr = tb.rows[i];
			tr.dataset.check = it.name === null ? DASH : it.name;
			if (tr.dataset.state !== it.state) {
				tr.dataset.state = it.state;
				setState(tr.cells[0], it.state);
			}
			setText(tr.cells[1], checkLabel(it.name));
			setText(tr.cells[2], ago(now, it.since));
			setText(tr.cells[3], it.summary);
		}
	}

	/* The database panel (html_database()). */
	function renderDatabase(m, now) {
		var s = document.getElementById('db-status');
		var h = get(m, 'health'), status = get(m, 'health.status');
		var v = ['unknown', 'Not available'];

		if (s === null)
			return;
		if (h !== null && typeof h === 'object' && !Array.isArray(h))
			v = typeof status === 'string' &&
			    Object.prototype.hasOwnProperty.call(HEALTH, status) ?
			    HEALTH[status] : ['unknown', fmt(status, 'str')];
		if (s.dataset.state !== v[0] || s.textContent !==
		    STATES[v[0]].glyph + ' ' + v[1]) {
			s.dataset.state = v[0];
			setState(s, v[0], v[1]);
		}
		setText(document.getElementById('db-checked'),
		    ago(now, get(m, 'health.checked_ms')));
	}

	/*
	 * What depends on the clock as well as on the document: the banner,
	 * the checks' times, the database's age.  Run on every answer and
	 * every second.
	 */
	function renderJudged(age) {
		var m = state.doc, checks, items = null, now;

		if (m === null)
			return;
		now = serverNow();
		if (now === null && num(m.timestamp_ms) !== null)
			now = m.timestamp_ms;
		checks = get(m, 'checks');
		if (checks !== null && typeof checks === 'object' &&
		    !Array.isArray(checks))
			items = checkItems(checks, age, now);
		renderVerdict(m, items);
		renderCheckRows(items, items === null, now);
		renderDatabase(m, now);
	}

	/* Listeners, fullest first (html_listeners()). */
	function renderListeners(m) {
		var a = m.listeners, total = num(m.listeners_total), rows, more;

		rows = objects(a).slice(0, LISTENERS_MAX).map(function (o, i) {
			var fill = num(o.fill_percent);
			var q = num(o.queue), b = num(o.backlog);

			if (fill === null && q !== null && b !== null && b > 0)
				fill = 100 * q / b;
			return { o: o, i: i, fill: fill };
		}).sort(function (x, y) {
			if ((x.fill === null) !== (y.fill === null))
				return x.fill === null ? 1 : -1;
			if (x.fill !== null && x.fill !== y.fill)
				return y.fill - x.fill;
			return x.i - y.i;
		}).map(function (r) {
			var o = r.o, addr = fmt(o.address, 'str'), proc;
			var port = num(o.port), pid = num(o.pid);

			if (port !== null)
				addr = (o.family === 'tcp6' ? '[' + addr + ']' : addr) +
				    ':' + fmt(port, 'int');
			proc = typeof o.process === 'string' ? o.process : '';
			if (pid !== null)
				proc += proc !== '' ? ' (' + fmt(pid, 'int') + ')' :
				    'pid ' + fmt(pid, 'int');
			return { cells: [head(addr), { text: proc || DASH },
			    { cls: 'num', text: fmt(o.queue, 'int') + ' / ' +
			    fmt(o.backlog, 'int') },
			    r.fill === null ? { cls: 'use', text: DASH } :
			    { cls: 'use', meter: round(r.fill, 1),
			    text: fmt(r.fill, 'pct') }] };
		});
		renderRows('listeners', rows, 4, Array.isArray(a) ?
		    'No listeners' : 'Not available');
		more = document.getElementById('listeners-more');
		if (more !== null)
			setText(more, total !== null && total > rows.length ?
			    'The ' + rows.length + ' fullest of ' +
			    fmt(total, 'int') + ' listeners.' : '');
	}

	/* The header's state: only a change is announced (a live region). */
	function setLive(kind, text) {
		var p = document.getElementById('live');
		var s = document.getElementById('live-state');

		if (p === null || s === null)
			return;
		p.classList.remove('ok', 'stale', 'down');
		p.classList.add(kind);
		document.body.classList.toggle('is-stale', kind !== 'ok');
		if (state.live !== text) {
			state.live = text;
			s.textContent = text;
		}
	}

	/* --- HTTP --------------------------------------------------------- */

	/*
	 * GET a JSON document.  Rejects with an Error whose status is the
	 * HTTP status (0: no answer) and whose message is the API's error
	 * message when it sent one.  When the pool did not answer and nginx
	 * served the master's verdict instead (a 5xx with X-Vitals-Source:
	 * master-fallback, conf/nginx/vitals-routes.conf.in), the Error's
	 * fallback is that document: the same shape as the pool's answer,
	 * written by the master a moment ago.
	 */
	function getJSON(url) {
		var ctl = new AbortController();
		var timer = setTimeout(function () {
			ctl.abort();
		}, REQUEST_TIMEOUT_MS);

		function fail(status, message) {
			var e = new Error(message);

			e.status = status;
			return e;
		}

		return fetch(url, {
			cache: 'no-store',
			headers: { Accept: 'application/json' },
			signal: ctl.signal
		}).then(function (res) {
			return res.text().then(function (body) {
				var doc = null, e;

				try {
					doc = JSON.parse(body);
				} catch (e) {
					doc = null;
				}
				if (!res.ok) {
					e = fail(res.status, get(doc,
					    'error.message') || res.statusText ||
					    'HTTP ' + res.status);
					if (res.headers.get(SOURCE_HEADER) ===
					    FALLBACK_SOURCE && doc !== null &&
					    typeof doc === 'object' &&
					    !Array.isArray(doc))
						e.fallback = doc;
					throw e;
				}
				if (doc === null || typeof doc !== 'object')
					throw fail(res.status, 'not a JSON object');
				return doc;
			});
		}, function (e) {
			throw fail(0, e.name === 'AbortError' ?
			    'no answer within ' + REQUEST_TIMEOUT_MS / 1000 +
			    ' s' : 'the server cannot be reached');
		}).finally(function () {
			clearTimeout(timer);
		});
	}

	/* --- The live figures ------------------------------------------------ */

	/*
	 * The age of the latest sample, judged here rather than read from
	 * the answer: its sample_age_ms is frozen in whatever copy a cache
	 * serves (nginx's micro-cache kept a dead pool's last answer "live"
	 * that way).  The age is the browser's clock less the sample's own
	 * timestamp_ms (the server's clock when it was taken), less the
	 * offset between the two clocks.  The offset is the smallest
	 * (receipt - timestamp_ms) over the last OFFSET_SAMPLES new samples:
	 * a fresh sample arrives within a second or so of being taken, so
	 * the smallest is the clocks' difference give or take that second,
	 * however far apart the two clocks are.  Only a timestamp not
	 * seen just before counts, so a cache repeating an old body cannot
	 * move it; a clock stepped back on either side reads as an older
	 * sample until OFFSET_SAMPLES new ones have come.  (The HTTP Date
	 * header would do as well, but in whole seconds.)  Returns ms, or
	 * null before the first sample.
	 */
	function sampleAge() {
		if (state.offsets.length === 0)
			return null;
		return Math.max(0, Date.now() - state.sampleTs -
		    Math.min.apply(null, state.offsets));
	}

	/* Note an answer's sample for sampleAge(). */
	function noteSample(ts) {
		if (ts === state.sampleTs)
			return;
		state.sampleTs = ts;
		state.offsets.push(Date.now() - ts);
		if (state.offsets.length > OFFSET_SAMPLES)
			state.offsets.shift();
	}

	/*
	 * Live or Stale, from the judged age; a failing poll has said Not
	 * updating already, and that stays until an answer comes.
	 */
	function judgeAge() {
		var age = sampleAge(), els, i;

		renderJudged(age);
		if (age === null)
			return;
		els = document.querySelectorAll('[data-k="sample_age_ms"]');
		for (i = 0; i < els.length; i++)
			setText(els[i], fmt(age, 'age'));
		if (state.failures > 0)
			return;
		if (state.fallback !== 0)
			setLive('down', 'The pool is not answering (HTTP ' +
			    state.fallback + '): figures and verdict from ' +
			    'the master');
		else if (age > STALE_AGE_MS)
			setLive('stale', 'Stale: the last sample is ' +
			    fmt(age, 'age') + ' old');
		else
			setLive('ok', 'Live');
	}

	function onMetrics(m) {
		state.doc = m;
		bindFigures(m);
		renderTables(m);
		if (num(m.timestamp_ms) !== null)
			noteSample(m.timestamp_ms);
		judgeAge();
		if (num(m.timestamp_ms) !== null && m.timestamp_ms > state.lastTs) {
			state.lastTs = m.timestamp_ms;
			appendPoint(m.timestamp_ms, livePoint(m));
		}
		state.updates++;
		root.dataset.updates = String(state.updates);
		root.dataset.sampleTs = String(state.lastTs);
	}

	function schedulePoll(ms) {
		clearTimeout(state.pollTimer);
		state.pollTimer = setTimeout(poll, ms);
	}

	function poll() {
		var started;

		state.pollTimer = null;
		/*
		 * visibilitychange starts it again.  Push, once a sample has
		 * come through it, needs no poll; until then the page polls.
		 */
		if (document.hidden || state.polling || state.mode === 'live')
			return;
		state.polling = true;
		started = Date.now();
		getJSON('/api/metrics').then(function (m) {
			state.failures = 0;
			state.fallback = 0;
			onMetrics(m);
		}, function (e) {
			/*
			 * The pool is stuck, but the master's verdict came:
			 * shown at once and polled at the usual pace (no
			 * back-off: this answer is the news), marked as the
			 * master's in the header and under the banner.
			 */
			if (e.fallback !== undefined) {
				state.failures = 0;
				state.fallback = e.status;
				onMetrics(e.fallback);
				return;
			}
			state.failures++;
			state.fallback = 0;
			setLive('down', e.status === 503 ?
			    'Waiting for the first sample\u2026' :
			    'Not updating (' + e.message + '); retrying');
		}).finally(function () {
			/* Even when a bug threw above: it shows in the console. */
			state.polling = false;
			if (document.hidden || state.mode === 'live')
				return;
			/*
			 * A fallback answer took nginx's read timeout (1 s) to
			 * come: the next poll starts POLL_MS after this one
			 * started, not after it ended, so that a verdict the
			 * master changes is seen within about a second.
			 */
			if (state.fallback !== 0)
				schedulePoll(Math.max(0, POLL_MS -
				    (Date.now() - started)));
			else
				schedulePoll(Math.min(POLL_MS *
				    Math.pow(2, Math.min(state.failures, 4)),
				    POLL_MAX_MS));
		});
	}

	/* --- The transport: push, or polling ---------------------------------- */

	/*
	 * The header's mode, beside the state: "live push" while samples
	 * come over /api/live, "polling" otherwise (push off on this server,
	 * or failing for now).  The element is the script's own: without
	 * JavaScript the page is a snapshot and has no mode.
	 */
	function setMode(mode) {
		var p = document.getElementById('live');
		var age, box, m;

		if (state.mode === mode || p === null)
			return;
		state.mode = mode;
		root.dataset.mode = mode;
		m = document.getElementById('live-mode');
		if (m === null) {
			box = el('span', 'mode', ' \u00b7 ');
			m = el('span', '', '');
			m.id = 'live-mode';
			box.appendChild(m);
			age = p.querySelector('.age');
			p.insertBefore(box, age);
			if (age !== null)
				p.insertBefore(document.createTextNode(' '), age);
		}
		m.textContent = mode === 'live' ? 'live push' : 'polling';
		m.title = mode === 'live' ? 'each sample is pushed as it is ' +
		    'taken (' + LIVE_URL + ')' : 'the page asks for the ' +
		    'latest sample once a second';
	}

	function pushEnabled() {
		return root.dataset.live === 'on' &&
		    typeof EventSource === 'function';
	}

	function closePush() {
		if (state.source !== null) {
			state.source.close();
			state.source = null;
		}
	}

	function schedulePush(ms) {
		clearTimeout(state.pushTimer);
		state.pushTimer = setTimeout(subscribe, ms);
	}

	/*
	 * The subscription failed (an error event, or silence): poll from
	 * now on, at once, and try push again later, backing off.
	 * EventSource's own reconnection is not used: it retries every few
	 * seconds for ever and gives up for good on a 404 or a 503, where
	 * the page wants a back-off in both cases and polling meanwhile.
	 */
	function pushFailed() {
		var ms;

		closePush();
		state.pushFailures++;
		ms = Math.min(PUSH_RETRY_MS * Math.pow(2, Math.min(
		    state.pushFailures - 1, 20)), PUSH_RETRY_MAX_MS);
		ms *= 0.8 + 0.4 * Math.random();
		setMode('polling');
		if (!document.hidden) {
			schedulePush(ms);
			if (state.pollTimer === null && !state.polling)
				poll();
		}
	}

	function onPush(ev) {
		var m;

		try {
			m = JSON.parse(ev.data);
		} catch (e) {
			m = null;
		}
		if (m === null || typeof m !== 'object')
			return;		/* not a sample: the silence judges */
		state.pushAt = Date.now();
		state.pushFailures = 0;
		state.failures = 0;
		clearTimeout(state.pollTimer);
		state.pollTimer = null;
		setMode('live');
		onMetrics(m);
	}

	/* Subscribe to the pushed samples (the server sends one at once). */
	function subscribe() {
		var es;

		clearTimeout(state.pushTimer);
		state.pushTimer = null;
		if (!pushEnabled() || document.hidden || state.source !== null)
			return;
		try {
			es = new EventSource(LIVE_URL);
		} catch (e) {
			pushFailed();
			return;
		}
		state.source = es;
		state.pushAt = Date.now();
		es.onmessage = onPush;
		es.onerror = function () {
			if (state.source === es)
				pushFailed();
		};
	}

	/* Called every second: a silent subscription has failed. */
	function watchPush() {
		if (state.source !== null &&
		    Date.now() - state.pushAt > PUSH_SILENCE_MS)
			pushFailed();
	}

	/*
	 * A hidden tab takes nothing: no subscription, no poll.  Shown
	 * again, it takes a fresh sample at once: push sends the latest on
	 * connect, and polling asks for it now.
	 */
	function onVisibility() {
		if (document.hidden) {
			closePush();
			clearTimeout(state.pushTimer);
			state.pushTimer = null;
			clearTimeout(state.pollTimer);
			state.pollTimer = null;
			return;
		}
		if (pushEnabled()) {
			state.pushFailures = 0;
			subscribe();
		} else if (state.pollTimer === null && !state.polling) {
			poll();
		}
	}

	/* --- The charts ------------------------------------------------------ */

	function cssVar(name) {
		return getComputedStyle(root).getPropertyValue(name).trim();
	}

	/* #rrggbb with an alpha, for an area under a line. */
	function alpha(hex, a) {
		var m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);

		if (m === null)
			return 'transparent';
		return 'rgba(' + parseInt(m[1], 16) + ',' + parseInt(m[2], 16) +
		    ',' + parseInt(m[3], 16) + ',' + a + ')';
	}

	function chartOptions(def, width) {
		var fg = cssVar('--muted');
		var grid = cssVar('--grid');
		var axis = {
			stroke: fg,
			grid: { stroke: grid, width: 1 },
			ticks: { stroke: grid, width: 1 }
		};

		return {
			width: width,
			height: CHART_HEIGHT,
			cursor: { drag: { x: false, y: false } },
			legend: { live: true },
			hooks: { draw: [latestInLegend],
			    setCursor: [latestInLegend] },
			scales: {
				x: { time: true },
				y: { range: function (u, min, max) {
					if (def.max)
						return [0, def.max];
					return [0, max > 0 ? max * 1.1 : 1];
				} }
			},
			axes: [
				Object.assign({}, axis, {
					space: 64,
					size: 32,
					values: function (u, splits, i, space, incr) {
						return splits.map(function (t) {
							return timeLabel(t, incr);
						});
					}
				}),
				Object.assign({}, axis, {
					size: def.fmt === 'rate' ||
					    def.fmt === 'bytes' ? 72 :
					    def.fmt === 'pct' ? 56 : 48,
					incrs: def.fmt === 'rate' ||
					    def.fmt === 'bytes' ? BYTE_INCRS :
					    def.fmt === 'int' ? COUNT_INCRS : undefined,
					values: function (u, splits) {
						return splits.map(function (v) {
							return axisFmt(v, def.fmt);
						});
					}
				})
			],
			series: [{ label: 'time', value: function (u, t) {
				return t === null || t === undefined ? DASH :
				    timeLabel(t, 86400) + ' ' + timeLabel(t, 1);
			} }].concat(def.series.map(
			    function (s) {
				var color = cssVar(s.color);

				return {
					label: s.label,
					stroke: color,
					width: 1.5,
					fill: s.fill ? alpha(color, 0.12) : undefined,
					points: { show: false },
					value: function (u, v) {
						return v === null || v === undefined ?
						    DASH : fmt(v, def.fmt);
					}
				};
			}))
		};
	}

	/*
	 * The legend shows the values under the cursor; with the cursor off
	 * the chart (uPlot puts it at -10), it shows the latest point rather
	 * than dashes.
	 */
	function latestInLegend(u) {
		var n = u.data[0].length;

		if (n > 0 && (u.cursor.left === undefined || u.cursor.left < 0) &&
		    (u.legend || {}).idx !== n - 1)
			u.setLegend({ idx: n - 1 });
	}

	function chartData(def) {
		var h = state.history;

		if (h === null)
			return [[]].concat(def.series.map(function () {
				return [];
			}));
		return [h.ts].concat(def.series.map(function (s) {
			return h.series[s.key];
		}));
	}

	function buildCharts() {
		state.charts.forEach(function (c) {
			c.plot.destroy();
		});
		state.charts = [];
		CHARTS.forEach(function (def) {
			var box = document.getElementById('chart-' + def.id);
			var plot;

			if (box === null)
				return;
			box.replaceChildren();
			plot = new uPlot(chartOptions(def, Math.max(box.clientWidth,
			    200)), chartData(def), box);
			state.charts.push({ def: def, box: box, plot: plot });
		});
	}

	function redraw() {
		var now = Date.now() / 1000, r = RANGES[state.range];

		state.charts.forEach(function (c) {
			c.plot.setData(chartData(c.def));
			/* Without points, the axis still spans the range asked. */
			if (state.history === null || state.history.ts.length === 0)
				c.plot.setScale('x', { min: now - r.seconds, max: now });
		});
	}

	function resize() {
		state.charts.forEach(function (c) {
			var w = Math.max(c.box.clientWidth, 200);

			if (w !== c.plot.width)
				c.plot.setSize({ width: w, height: CHART_HEIGHT });
		});
	}

	/* Add a live point to a ring range's history; drop what fell out. */
	function appendPoint(tsMs, pt) {
		var h = state.history, r = RANGES[state.range], cut, k, drop;

		if (h === null || !state.historyOk || !r.ring)
			return;
		if (h.ts.length > 0 && tsMs / 1000 <= h.ts[h.ts.length - 1])
			return;
		h.ts.push(tsMs / 1000);
		for (k in h.series)
			h.series[k].push(pt[k] === undefined ? null : pt[k]);
		cut = tsMs / 1000 - r.seconds;
		for (drop = 0; drop < h.ts.length && h.ts[drop] < cut; drop++)
			;
		if (drop > 0) {
			h.ts.splice(0, drop);
			for (k in h.series)
				h.series[k].splice(0, drop);
		}
		redraw();
	}

	function historyNote(text, isError) {
		var p = document.getElementById('history-status');

		if (p === null)
			return;
		p.classList.toggle('error', !!isError);
		setText(p, text);
	}

	/* Make a /api/history answer the charts' columns, or null. */
	function toHistory(doc) {
		var ts = doc.timestamps_ms, h = { ts: [], series: {} };
		var keys = [];

		if (!Array.isArray(ts) || doc.series === null ||
		    typeof doc.series !== 'object')
			return null;
		CHARTS.forEach(function (def) {
			def.series.forEach(function (s) {
				keys.push(s.key);
			});
		});
		h.ts = ts.map(function (t) {
			return t / 1000;
		});
		keys.forEach(function (k) {
			var a = doc.series[k];

			h.series[k] = ts.map(function (t, i) {
				return Array.isArray(a) ? num(a[i]) : null;
			});
		});
		return h;
	}

	function loadHistory() {
		var range = state.range, r = RANGES[range];
		var seq = ++state.historySeq;
		var section = document.querySelector('section.history');

		clearTimeout(state.historyTimer);
		if (section)
			section.dataset.state = 'loading';
		getJSON('/api/history?range=' + encodeURIComponent(range)).then(
		    function (doc) {
			var h = toHistory(doc);

			if (seq !== state.historySeq)
				return;
			if (h === null)
				throw Object.assign(new Error('an answer without ' +
				    'series'), { status: 200 });
			state.history = h;
			state.historyOk = true;
			historyNote(h.ts.length === 0 ? 'No history for the ' +
			    'last ' + r.label + ' yet.' : '', false);
			if (section)
				section.dataset.state = 'ok';
			redraw();
		}).catch(function (e) {
			var why;

			if (seq !== state.historySeq)
				return;
			state.history = null;
			state.historyOk = false;
			if (e.status === 503)
				why = 'History for the last ' + r.label + ' is not ' +
				    'available right now: ' + e.message + '. ' +
				    'The figures above stay live; try a shorter ' +
				    'range, or this one again later.';
			else if (e.status === 400 || e.status === 404)
				why = 'This server does not keep ' + r.label +
				    ' of history (' + e.message + ').';
			else
				why = 'History for the last ' + r.label +
				    ' could not be loaded: ' + e.message + '.';
			historyNote(why, true);
			if (section)
				section.dataset.state = 'error';
			redraw();
		}).then(function () {
			if (seq !== state.historySeq)
				return;
			/* Ring ranges re-sync now and then; DB ranges refresh. */
			state.historyTimer = setTimeout(loadHistory,
			    HISTORY_REFRESH_MS);
		});
	}

	function selectRange(range, push) {
		if (!Object.prototype.hasOwnProperty.call(RANGES, range))
			return;
		state.range = range;
		state.history = null;
		state.historyOk = false;
		historyNote('Loading the last ' + RANGES[range].label + '\u2026',
		    false);
		redraw();
		if (push)
			history.replaceState(null, '', '#range=' + range);
		loadHistory();
	}

	/* --- Start ------------------------------------------------------------ */

	function start() {
		var ranges = document.getElementById('ranges');
		var hash = /^#range=([0-9a-z]+)$/.exec(location.hash);
		var dark;

		if (hash !== null &&
		    Object.prototype.hasOwnProperty.call(RANGES, hash[1])) {
			state.range = hash[1];
			var input = document.getElementById('range-' + hash[1]);
			if (input)
				input.checked = true;
		}
		if (ranges !== null)
			ranges.addEventListener('change', function (ev) {
				if (ev.target && ev.target.name === 'range')
					selectRange(ev.target.value, true);
			});

		if (typeof uPlot === 'function') {
			buildCharts();
			if (typeof ResizeObserver === 'function') {
				var ro = new ResizeObserver(function () {
					resize();
				});
				state.charts.forEach(function (c) {
					ro.observe(c.box);
				});
			} else {
				window.addEventListener('resize', resize);
			}
			/* Colours follow the system's light or dark scheme. */
			dark = window.matchMedia('(prefers-color-scheme: dark)');
			dark.addEventListener('change', function () {
				buildCharts();
			});
			selectRange(state.range, false);
		} else {
			historyNote('The charts could not be loaded; the figures ' +
			    'above stay live.', true);
		}

		document.addEventListener('visibilitychange', onVisibility);
		/* The age grows while no answer comes (a hung server). */
		setInterval(function () {
			if (!document.hidden) {
				judgeAge();
				watchPush();
			}
		}, AGE_TICK_MS);
		/*
		 * The first paint is a fresh sample: with push the next comes
		 * through it, so the page polls only when push fails.
		 */
		if (pushEnabled()) {
			subscribe();
		} else {
			setMode('polling');
			poll();
		}
	}

	/* For the console and the browser test (t/browser/dashboard.js). */
	window.vitals = Object.freeze({
		fmt: fmt,
		sampleAge: sampleAge,
		historyPoints: function () {
			return state.history === null ? 0 : state.history.ts.length;
		},
		range: function () {
			return state.range;
		},
		mode: function () {
			return state.mode;
		}
	});

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', start);
	else
		start();
}());
