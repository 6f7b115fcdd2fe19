/*
 * proc_stat.c: parse /proc/stat (see proc_stat.h).
 *
 * The kernel writes "cpu  u n s i w q sq st g gn" (two blanks after the
 * total's "cpu"), one "cpuN ..." line per online CPU, then "intr TOTAL
 * <one count per irq>", "ctxt", "btime", "processes", "procs_running",
 * "procs_blocked" and "softirq".  The intr line can be tens of kilobytes
 * on a large machine: only its first number is read.
 */
#include "config.h"

#include <string.h>

#include "collect/procfile.h"
#include "collect/proc_stat.h"

const char *const vt_cpu_mode_names[VT_CPU_NMODES] = {
	"user", "nice", "system", "idle", "iowait", "irq", "softirq",
	"steal", "guest", "guest_nice"
};

static const struct {
	const char	*name;
	size_t		 off;
	unsigned	 flag;
} stat_singles[] = {
	{ "ctxt", offsetof(struct vt_proc_stat, ctxt), VT_STAT_HAS_CTXT },
	{ "btime", offsetof(struct vt_proc_stat, btime), VT_STAT_HAS_BTIME },
	{ "processes", offsetof(struct vt_proc_stat, processes),
	    VT_STAT_HAS_PROCESSES },
	{ "procs_running", offsetof(struct vt_proc_stat, procs_running),
	    VT_STAT_HAS_RUNNING },
	{ "procs_blocked", offsetof(struct vt_proc_stat, procs_blocked),
	    VT_STAT_HAS_BLOCKED },
	{ "intr", offsetof(struct vt_proc_stat, intr), VT_STAT_HAS_INTR },
};

static int	stat_cpu_line(struct vt_span line, struct vt_span key,
		    size_t pos, struct vt_cpu_jiffies *cpu);

/*
 * Fill *cpu from the columns after key; pos is where key ended.  Returns
 * VT_ERR on a bad number or fewer than the four columns every kernel has
 * had.  Columns past the tenth (a future kernel) are ignored.
 */
static int
stat_cpu_line(struct vt_span line, struct vt_span key, size_t pos,
    struct vt_cpu_jiffies *cpu)
{
	struct vt_span	w, idspan;
	uint64_t	id;
	int		n = 0;

	memset(cpu, 0, sizeof(*cpu));
	cpu->id = -1;
	if (key.len > 3) {
		idspan.p = key.p + 3;
		idspan.len = key.len - 3;
		if (vt_pf_u64(idspan, &id) == VT_ERR || id > 1000000)
			return VT_ERR;
		cpu->id = (int)id;
	}
	while (vt_pf_next_word(line, &pos, &w)) {
		if (n < VT_CPU_NMODES &&
		    vt_pf_u64(w, &cpu->mode[n]) == VT_ERR)
			return VT_ERR;
		n++;
	}
	if (n < 4)
		return VT_ERR;
	cpu->nmodes = n < VT_CPU_NMODES ? n : VT_CPU_NMODES;
	return VT_OK;
}

int
vt_proc_stat_parse(const char *buf, size_t len, struct vt_proc_stat *out,
    char *err, size_t errlen)
{
	struct vt_cpu_jiffies	cpu;
	struct vt_span		line, key, val;
	size_t			pos = 0, wpos, i;
	unsigned		lineno = 0;
	int			have_total = 0;

	memset(out, 0, sizeof(*out));
	out->total.id = -1;
	if (len == 0)
		return vt_pf_err(err, errlen, "proc/stat: empty");
	if (vt_pf_complete(buf, len) == VT_ERR)
		return vt_pf_err(err, errlen,
		    "proc/stat: truncated (no newline at the end)");
	while (vt_pf_line(buf, len, &pos, &line)) {
		lineno++;
		wpos = 0;
		if (!vt_pf_next_word(line, &wpos, &key))
			continue;
		if (vt_pf_prefix(key, "cpu")) {
			if (stat_cpu_line(line, key, wpos, &cpu) == VT_ERR)
				return vt_pf_err(err, errlen,
				    "proc/stat: line %u: bad cpu line",
				    lineno);
			if (cpu.id == -1) {
				if (have_total)
					return vt_pf_err(err, errlen,
					    "proc/stat: line %u: second "
					    "cpu total", lineno);
				out->total = cpu;
				have_total = 1;
			} else if (out->ncpu < VT_MAX_CPUS) {
				out->cpu[out->ncpu++] = cpu;
			} else {
				out->ncpu_dropped++;
			}
			continue;
		}
		for (i = 0; i < VT_ARRAY_LEN(stat_singles); i++) {
			if (!vt_pf_eq(key, stat_singles[i].name))
				continue;
			if (!vt_pf_next_word(line, &wpos, &val) ||
			    vt_pf_u64(val, (uint64_t *)(void *)((char *)out +
			    stat_singles[i].off)) == VT_ERR)
				return vt_pf_err(err, errlen,
				    "proc/stat: line %u: bad %s value",
				    lineno, stat_singles[i].name);
			out->has |= stat_singles[i].flag;
			break;
		}
	}
	if (!have_total)
		return vt_pf_err(err, errlen, "proc/stat: no cpu line");
	return VT_OK;
}

int
vt_proc_stat_read(const char *root, struct vt_proc_stat *out, char *err,
    size_t errlen)
{
	char	buf[VT_PROC_STAT_BUFSZ];
	size_t	len;
	int	rc;

	rc = vt_procfile_read(root, "proc/stat", buf, sizeof(buf), &len, err,
	    errlen);
	if (rc != VT_OK) {
		memset(out, 0, sizeof(*out));
		return VT_ERR;
	}
	return vt_proc_stat_parse(buf, len, out, err, errlen);
}
