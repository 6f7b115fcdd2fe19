/*
 * json.h: the /api/metrics document: one host sample as JSON, written
 * once per sample by the master; workers copy the bytes.
 *
 * The document is one object, written without any whitespace between
 * tokens and without a trailing newline: its last byte is the closing
 * '}', so a worker can drop it and append per-request members
 * ("sample_age_ms", "pool").  Members, in this order:
 *
 *   timestamp_ms, interval_s (0 on the first sample),
 *   host {hostname, kernel, boot_time, uptime_seconds},
 *   load {load1, load5, load15, procs_running, procs_blocked, tasks_total},
 *   cpu {count, context_switches_per_second, interrupts_per_second,
 *       forks_per_second, total {busy_percent, <mode>_percent ...},
 *       cores [{cpu, busy_percent, <mode>_percent ...}]},
 *   memory {total_bytes, free_bytes, available_bytes, used_bytes,
 *       used_percent, buffers_bytes, cached_bytes, swap_total_bytes,
 *       swap_free_bytes, swap_used_bytes},
 *   filesystems [{mountpoint, device, fstype, readonly, state,
 *       size_bytes, free_bytes, avail_bytes, used_bytes, used_percent,
 *       files, files_free}],
 *   disks [{name, reads_per_second, writes_per_second,
 *       read_bytes_per_second, write_bytes_per_second, busy_percent,
 *       in_flight}]  (whole disks: vt_diskstats_selected()),
 *   network [{interface, rx_bytes_per_second, tx_bytes_per_second,
 *       rx_packets_per_second, tx_packets_per_second, rx_errors_total,
 *       tx_errors_total, rx_drops_total, tx_drops_total}],
 *   derived {mem_available_bytes (MemAvailable, or free + buffers +
 *       cached before Linux 3.14), net_rx_bytes_per_second,
 *       net_tx_bytes_per_second (every interface but lo),
 *       disk_read_bytes_per_second, disk_write_bytes_per_second (the
 *       disks above)}: what the page and the charts show beyond the
 *       members above, as the ring's series name them,
 *   tcp {states {established ... closing}, states_age_ms (the count is
 *       paced on a busy host: how old it is), listen_overflows_total,
 *       listen_drops_total, listen_overflows_per_second,
 *       listen_drops_per_second},
 *   pressure {cpu, memory, io: {some_avg10, some_avg60, some_avg300,
 *       full_avg10, full_avg60, full_avg300} or null},
 *   processes {timestamp_ms, top_cpu [{pid, name, state, cpu_percent,
 *       rss_bytes}], top_memory [same; cpu_percent null]},
 *   sampler {duration_seconds, samples, cpu_seconds_total,
 *       statvfs_timeouts_total, errors {<collector>: count}}.
 *
 * null means "not known in this sample", never 0: a rate on the first
 * sample (interval_s 0) or that the sampler marked invalid, a value whose
 * collector failed this time (a section that comes from one collector is
 * then null as a whole), a filesystem size without a successful statvfs,
 * "full" pressure lines an older kernel does not have.  Doubles are
 * rounded (percentages and rates to 2 decimals) and written in a fixed,
 * locale-independent form; counters and byte counts are integers.
 * Strings from the kernel are made valid UTF-8 (see utf8.h).
 */
#ifndef VT_RENDER_JSON_H
#define VT_RENDER_JSON_H

#include "buf.h"
#include "host.h"

/*
 * Append the document for h to out, written as it goes (no tree, no
 * allocation but out's growth).  Returns VT_OK, or VT_ERR when out would
 * pass its cap; out is then as it was before the call.  h is only read.
 */
int	vt_render_json(const struct vt_host *h, struct vt_buf *out);

#endif /* VT_RENDER_JSON_H */
