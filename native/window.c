/* SPDX-License-Identifier: MIT */
/*
 * What the machine and TCP did over a thread's measured window: /proc/stat
 * and TCP_INFO read at its two edges, outside the send loop. /proc/stat is
 * opened and its buffer allocated at setup; an edge is one pread and a
 * parse of its cpu lines, so nothing here runs per request.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
/* the kernel's struct tcp_info: glibc's stops before delivery_rate */
#include <linux/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/*
 * The cpu lines come first in /proc/stat; a line of 10 counters is at most
 * about 220 bytes, so this holds the aggregate and ZC_MACHINE_CPUS rows.
 */
#define STAT_BUF (16 * 1024)

void zc_window_open(struct exec *e)
{
	e->stat_fd = open("/proc/stat", O_RDONLY | O_CLOEXEC);
	if (e->stat_fd < 0)
		return;
	e->stat_buf = malloc(STAT_BUF);
	if (!e->stat_buf) {
		close(e->stat_fd);
		e->stat_fd = -1;
	}
}

void zc_window_close(struct exec *e)
{
	if (e->stat_fd >= 0)
		close(e->stat_fd);
	e->stat_fd = -1;
	free(e->stat_buf);
	e->stat_buf = NULL;
}

/* the counters of one "cpu" line after its name; missing ones (old kernels) read 0 */
static const char *parse_ticks(const char *p, uint64_t out[ZC_CPU_STATES])
{
	unsigned i;

	for (i = 0; i < ZC_CPU_STATES; i++) {
		char *end;

		out[i] = strtoull(p, &end, 10);
		p = end;
	}
	return p;
}

/*
 * Parse the cpu lines of one read into edge 0 (start) or 1 (end). Returns
 * false when the text has no aggregate line or its rows differ from the
 * start's (a CPU went on- or offline inside the window).
 */
static bool parse_stat(struct zc_machine *m, char *text, int edge)
{
	char *line = text, *nl;
	unsigned row = 0;
	bool all = false;

	for (; (nl = strchr(line, '\n')) && !strncmp(line, "cpu", 3); line = nl + 1) {
		*nl = '\0';
		if (line[3] == ' ') {
			parse_ticks(line + 3, edge ? m->all.end : m->all.start);
			all = true;
			continue;
		}
		if (row == ZC_MACHINE_CPUS) {
			m->more_cpus = 1;
			continue;
		}
		char *end;
		unsigned long id = strtoul(line + 3, &end, 10);

		if (edge && (row >= m->cpus || m->cpu_id[row] != id))
			return false;
		m->cpu_id[row] = (uint16_t)id;
		parse_ticks(end, edge ? m->cpu[row].end : m->cpu[row].start);
		row++;
	}
	if (!all || (edge && row != m->cpus))
		return false;
	m->cpus = row;
	return true;
}

static void read_stat(struct exec *e, int edge)
{
	struct zc_machine *m = &e->res->machine;
	ssize_t n;

	if (e->stat_fd < 0 || (edge && !m->clk_tck))
		return;
	n = pread(e->stat_fd, e->stat_buf, STAT_BUF - 1, 0);
	if (n <= 0 || (e->stat_buf[n] = '\0', !parse_stat(m, e->stat_buf, edge))) {
		memset(m, 0, sizeof(*m));
		return;
	}
	if (edge)
		m->end_ns = zc_now_ns();
	else
		m->start_ns = zc_now_ns();
	m->clk_tck = (uint32_t)sysconf(_SC_CLK_TCK);
}

static bool read_tcp(const struct exec *e, unsigned f, struct tcp_info *ti)
{
	socklen_t len = sizeof(*ti);

	memset(ti, 0, sizeof(*ti));
	/* bytes_sent and bytes_retrans came last, in 4.19: an older kernel's answer is shorter */
	return e->tcp && !getsockopt(e->fds[f], IPPROTO_TCP, TCP_INFO, ti, &len) &&
	       len >= offsetof(struct tcp_info, tcpi_bytes_retrans) + sizeof(ti->tcpi_bytes_retrans);
}

void zc_window_begin(struct exec *e)
{
	struct tcp_info ti;
	unsigned f;

	for (f = 0; f < e->flows; f++) {
		struct tcp_edge *a = &e->tcp_start[f];

		a->ok = read_tcp(e, f, &ti);
		a->total_retrans = ti.tcpi_total_retrans;
		a->bytes_retrans = ti.tcpi_bytes_retrans;
		a->busy_us = ti.tcpi_busy_time;
		a->rwnd_limited_us = ti.tcpi_rwnd_limited;
		a->sndbuf_limited_us = ti.tcpi_sndbuf_limited;
	}
	read_stat(e, 0);
}

/* one connection's view over the window, 0 connections when it could not be read */
static void flow_tcp(const struct exec *e, unsigned f, struct zc_tcp *t)
{
	const struct tcp_edge *a = &e->tcp_start[f];
	struct tcp_info b;

	memset(t, 0, sizeof(*t));
	if (!a->ok || !read_tcp(e, f, &b))
		return;
	t->connections = 1;
	t->rtt_us = b.tcpi_rtt;
	t->rttvar_us = b.tcpi_rttvar;
	t->snd_cwnd = b.tcpi_snd_cwnd;
	t->snd_mss = b.tcpi_snd_mss;
	t->unacked = b.tcpi_unacked;
	t->lost = b.tcpi_lost;
	t->retrans = b.tcpi_total_retrans - a->total_retrans;
	t->delivery_rate = b.tcpi_delivery_rate;
	t->notsent_bytes = b.tcpi_notsent_bytes;
	/* bytes_acked counts the SYN's sequence number too; a FIN's would go unseen (none is sent) */
	if (b.tcpi_bytes_sent - b.tcpi_bytes_retrans >= b.tcpi_bytes_acked)
		t->in_flight_bytes = b.tcpi_bytes_sent - b.tcpi_bytes_retrans - (b.tcpi_bytes_acked - 1);
	else
		t->in_flight_bytes = 0;
	t->retrans_bytes = b.tcpi_bytes_retrans - a->bytes_retrans;
	t->busy_us = b.tcpi_busy_time - a->busy_us;
	t->rwnd_limited_us = b.tcpi_rwnd_limited - a->rwnd_limited_us;
	t->sndbuf_limited_us = b.tcpi_sndbuf_limited - a->sndbuf_limited_us;
}

static void tcp_total(struct zc_tcp *t, const struct zc_tcp *r);

/* the thread's connections (flows) together, as the total puts threads together */
void zc_window_end(struct exec *e)
{
	struct zc_tcp one;
	unsigned f;

	read_stat(e, 1);
	/* whether busy poll had a NAPI instance to poll: the ring lists the first socket's */
	if (e->res->napi_threads)
		e->res->napi_id = zc_napi_id(e->fds[0]);
	for (f = 0; f < e->flows; f++) {
		flow_tcp(e, f, &one);
		tcp_total(&e->res->tcp, &one);
	}
}

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

static void ticks_union(struct zc_cpu_ticks *t, const struct zc_cpu_ticks *r)
{
	unsigned s;

	for (s = 0; s < ZC_CPU_STATES; s++) {
		t->start[s] = MIN(t->start[s], r->start[s]);
		t->end[s] = MAX(t->end[s], r->end[s]);
	}
}

/* the union of the threads' windows: a counter only grows, so earliest start, latest end */
static void machine_total(struct zc_machine *t, const struct zc_machine *r)
{
	unsigned i;

	if (!r->clk_tck)
		return;
	if (!t->clk_tck) {
		*t = *r;
		return;
	}
	/* the rows changed between two threads' reads: keep the first thread's */
	if (t->cpus != r->cpus || memcmp(t->cpu_id, r->cpu_id, sizeof(t->cpu_id)))
		return;
	t->start_ns = MIN(t->start_ns, r->start_ns);
	t->end_ns = MAX(t->end_ns, r->end_ns);
	ticks_union(&t->all, &r->all);
	for (i = 0; i < t->cpus; i++)
		ticks_union(&t->cpu[i], &r->cpu[i]);
}

static void tcp_total(struct zc_tcp *t, const struct zc_tcp *r)
{
	if (!r->connections)
		return;
	t->connections += r->connections;
	t->rtt_us = MAX(t->rtt_us, r->rtt_us);
	t->rttvar_us = MAX(t->rttvar_us, r->rttvar_us);
	t->snd_cwnd += r->snd_cwnd;
	t->snd_mss = MAX(t->snd_mss, r->snd_mss);
	t->unacked += r->unacked;
	t->lost += r->lost;
	t->retrans += r->retrans;
	t->delivery_rate += r->delivery_rate;
	t->notsent_bytes += r->notsent_bytes;
	t->in_flight_bytes += r->in_flight_bytes;
	t->retrans_bytes += r->retrans_bytes;
	t->busy_us += r->busy_us;
	t->rwnd_limited_us += r->rwnd_limited_us;
	t->sndbuf_limited_us += r->sndbuf_limited_us;
}

void zc_window_total(struct zc_result *t, const struct zc_result *r)
{
	machine_total(&t->machine, &r->machine);
	tcp_total(&t->tcp, &r->tcp);
	t->napi_threads += r->napi_threads;
	t->napi_id = MAX(t->napi_id, r->napi_id);
}
