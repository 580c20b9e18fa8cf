/*
 * test_inspect_times.c - the analyzer's times: each control message and
 * each PPP negotiation entry carries its frame's timestamp (ts_us), and the
 * reports show it: "+S.mmm s" since the capture's first frame in the text
 * report and the HTML ladder rows, "ts_us" in the JSON.  The expected
 * times come from the captures in tests/data/captures themselves, read
 * with libpcap (not the analyzer's own reader); they agree with tshark's
 * frame.time_relative (packetlife: frame 10 at 0.020979 s, frame 17 at
 * 10.380489 s).  A capture whose clock steps back prints negative times.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "icap.h"
#include "json.h"
#include "../src/inspect/inspect.h"

#define TS_MAX	1024	/* frames whose times are read (the captures are small) */

/* Every frame's time in microseconds, read with libpcap (not the
 * analyzer's own reader) into ts[cap]; returns the count, 0 on error. */
static unsigned
frame_times(const char *path, uint64_t *ts, unsigned cap)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned n = 0;
	pcap_t *pc;

	if ((pc = pcap_open_offline(path, errbuf)) == NULL)
		return 0;
	while (n < cap && pcap_next_ex(pc, &h, &data) == 1)
		ts[n++] = (uint64_t)h->ts.tv_sec * 1000000u +
		    (uint64_t)h->ts.tv_usec;
	pcap_close(pc);
	return n;
}

/* Time since the first frame rounded to the millisecond, as tshark's
 * frame.time_relative rounded: "+10.380 s", or "-0.098 s" before it. */
static const char *
rel(uint64_t ts, uint64_t first, char *buf, size_t cap)
{
	long long d = (long long)ts - (long long)first;
	unsigned long long ms = ((unsigned long long)(d < 0 ? -d : d) + 500) /
	    1000;

	snprintf(buf, cap, "%c%llu.%03u s", d < 0 ? '-' : '+', ms / 1000,
	    (unsigned)(ms % 1000));
	return buf;
}

/* The text report of ins (json: the JSON one), in memory (malloc'd). */
static char *
report(const struct inspect *ins, int json)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		return NULL;
	if (json)
		inspect_report_json(ins, "t", f);
	else
		inspect_report_text(ins, "t", f);
	fclose(f);
	return text;
}

/* The HTML page of ins, read back (malloc'd). */
static char *
html(const struct inspect *ins)
{
	char tmp[64] = "/tmp/test_inspect_html_XXXXXX", err[256];
	uint8_t *h = NULL;
	size_t n;
	int fd;

	if ((fd = mkstemp(tmp)) < 0)
		return NULL;
	close(fd);
	if (CHECK(inspect_report_html(ins, "t", tmp, err, sizeof(err)) == 0) &&
	    (h = t_read_file(tmp, &n)) != NULL) {
		char *z = realloc(h, n + 1);

		if (z == NULL)
			free(h);
		else
			z[n] = '\0';
		h = (uint8_t *)z;
	}
	unlink(tmp);
	return (char *)h;
}

/* One entry (frame, ts_us) against the capture: its time, the text line
 * "frame N  +S.mmm s", the ladder row's tooltip "frame N (+S.mmm s): ". */
static void
check_time(unsigned frame, uint64_t ts_us, const uint64_t *ts, unsigned n,
    const char *text, const char *page, const char *what)
{
	char when[32], want[96];
	bool ok;

	if (!CHECK(frame >= 1 && frame <= n))
		return;
	CHECK_EQ(ts_us, ts[frame - 1]);
	rel(ts[frame - 1], ts[0], when, sizeof(when));
	snprintf(want, sizeof(want), "frame %-6u %10s ", frame, when);
	ok = CHECK(text != NULL && strstr(text, want) != NULL);
	snprintf(want, sizeof(want), "frame %u (%s): ", frame, when);
	ok &= CHECK(page != NULL && strstr(page, want) != NULL);
	if (!ok)
		t_note("%s: frame %u at %s", what, frame, when);
}

/* The "ts_us" of each object of arr: the time of its "frame". */
static unsigned
check_json_times(const struct json *arr, const uint64_t *ts, unsigned n)
{
	const struct json *e;
	unsigned k = 0;
	long long fr;

	for (e = arr != NULL ? arr->child : NULL; e != NULL; e = e->next, k++)
		if (CHECK((fr = json_int(json_get(e, "frame"))) >= 1 &&
		    fr <= (long long)n))
			CHECK_EQ(json_int(json_get(e, "ts_us")),
			    (long long)ts[fr - 1]);
	return k;
}

TEST(inspect_message_and_timeline_times)
{
	static uint64_t ts[TS_MAX];
	char path[512];
	size_t i;

	for (i = 0; i < ICAP_NFILES; i++) {
		unsigned n, nmsg = 0, ntl = 0, jmsg = 0, jtl = 0, k;
		struct inspect *ins;
		struct json *j = NULL, *e;
		char *text = NULL, *page = NULL, *js = NULL;
		int c;

		icap_file_path(icap_files[i], path, sizeof(path));
		n = frame_times(path, ts, TS_MAX);
		if (!CHECK(n > 0 && n < TS_MAX) ||
		    !CHECK((ins = icap_read(path)) != NULL))
			continue;
		CHECK_EQ(ins->frames, n);
		CHECK_EQ(ins->first_ts, ts[0]);
		text = report(ins, 0);
		page = html(ins);
		for (c = 0; c < INS_MAX_CONNS; c++) {
			const struct ins_conn *cn = &ins->conns[c];

			for (k = 0; cn->used && k < cn->nmsgs &&
			    k < INS_MAX_MSGS; k++, nmsg++)
				check_time(cn->msgs[k].frame, cn->msgs[k].ts_us,
				    ts, n, text, page, icap_files[i]);
		}
		for (c = 0; c < INS_MAX_CALLS; c++) {
			const struct ins_call *cl = &ins->calls[c];

			for (k = 0; cl->used && k < cl->ntimeline; k++, ntl++)
				check_time(cl->timeline[k].frame,
				    cl->timeline[k].ts_us, ts, n, text, page,
				    icap_files[i]);
		}
		if (CHECK((js = report(ins, 1)) != NULL) &&
		    CHECK((j = json_parse(js, strlen(js))) != NULL)) {
			e = json_get(j, "control_connections");
			for (e = e != NULL ? e->child : NULL; e; e = e->next)
				jmsg += check_json_times(json_get(e,
				    "messages"), ts, n);
			e = json_get(j, "calls");
			for (e = e != NULL ? e->child : NULL; e; e = e->next)
				jtl += check_json_times(json_get(e,
				    "timeline"), ts, n);
		}
		CHECK_EQ(jmsg, nmsg);
		CHECK_EQ(jtl, ntl);
		if (strcmp(icap_files[i],
		    "packetlife__PPTP_negotiation.cap") == 0) {
			/* tshark: SCCRQ..OCRP, LCP to the last IPCP ConfAck */
			CHECK_EQ(nmsg, 4);
			CHECK_EQ(ntl, 13);
		}
		json_free(j);
		free(js);
		free(page);
		free(text);
		inspect_free(ins);
	}
}

/* A capture whose clock steps back after its first frame (frame 1 stamped
 * 100 ms late): the later messages print a negative time, not a huge one. */
TEST(inspect_times_before_first_frame)
{
	static uint64_t ts[TS_MAX];
	char path[512], errbuf[PCAP_ERRBUF_SIZE], when[32], want[96];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct inspect *ins;
	unsigned n, m, k = 0, neg = 0;
	char *text;
	pcap_t *pc;
	int c;

	icap_file_path("packetlife__PPTP_negotiation.cap", path, sizeof(path));
	n = frame_times(path, ts, TS_MAX);
	ts[0] += 100000;
	if (!CHECK(n > 6) || !CHECK((ins = inspect_new()) != NULL))
		return;
	if (CHECK((pc = pcap_open_offline(path, errbuf)) != NULL)) {
		while (k < n && pcap_next_ex(pc, &h, &data) == 1) {
			inspect_packet(ins, ts[k], pcap_datalink(pc), data,
			    h->caplen);
			k++;
		}
		pcap_close(pc);
	}
	CHECK_EQ(ins->first_ts, ts[0]);
	text = report(ins, 0);
	for (c = 0, k = 0; c < INS_MAX_CONNS; c++)
		for (m = 0; ins->conns[c].used && m < ins->conns[c].nmsgs &&
		    m < INS_MAX_MSGS; m++, k++) {
			const struct ins_msg *im = &ins->conns[c].msgs[m];

			rel(im->ts_us, ts[0], when, sizeof(when));
			neg += when[0] == '-';
			snprintf(want, sizeof(want), "frame %-6u %10s ",
			    im->frame, when);
			if (!CHECK(text != NULL && strstr(text, want) != NULL))
				t_note("no \"%s\"", want);
		}
	/* all four (SCCRQ to OCRP, within 21 ms of frame 1's true time)
	 * come before frame 1's new time */
	CHECK_EQ(k, 4);
	CHECK_EQ(neg, 4);
	free(text);
	inspect_free(ins);
}
