/*
 * inspect_live.c - `pptpkit inspect --live IFACE`: captures with libpcap
 * (immediate mode, the whole packet, only the PPTP control channel on TCP
 * 1723 and GRE, RFC 2637 1.4 and 4.1) and feeds every frame to the pure
 * analysis, inspect_packet().  After each batch of packets it prints the
 * calls that have ended (Call-Disconnect-Notify, Stop-Control-Connection
 * or the TCP connection closed) and were not printed yet: text, or one
 * JSON object per line.  SIGINT or SIGTERM stops the capture; the calls
 * still open are printed, then the summary.  Memory is that of the
 * analysis tables (fixed, with eviction) and libpcap's ring buffer.
 */
#include <pcap/pcap.h>
#include <signal.h>
#include <string.h>

#include "../base/err.h"
#include "../inspect/inspect_int.h"

#define LIVE_FILTER	"tcp port 1723 or ip proto 47 or ip6 proto 47"
#define LIVE_SNAPLEN	65535
#define LIVE_POLL_MS	200	/* a batch ends at least this often */

/* The capture a signal breaks, and the stop flag: a signal handler can
 * reach nothing else. */
static pcap_t *volatile live_pc;
static volatile sig_atomic_t live_stop;

static void
live_signal(int sig)
{
	pcap_t *pc = live_pc;

	(void)sig;
	live_stop = 1;
	if (pc != NULL)
		pcap_breakloop(pc);
}

struct live_ctx {
	struct inspect	*ins;
	int		 dlt;
};

static void
live_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct live_ctx *lc = (struct live_ctx *)(void *)user;

	inspect_packet(lc->ins, (uint64_t)h->ts.tv_sec * 1000000u +
	    (uint64_t)h->ts.tv_usec, lc->dlt, bytes, h->caplen);
}

/*
 * Prints the calls not printed yet, lowest id first: those that ended,
 * or all of them when all.  Returns how many.
 */
static unsigned
live_report(struct inspect *ins, const char *iface, bool json, FILE *out,
    bool all)
{
	unsigned n = 0;
	int i;

	for (;;) {
		struct ins_call *c = NULL;

		for (i = 0; i < INS_MAX_CALLS; i++) {
			struct ins_call *k = &ins->calls[i];

			if (k->used && !k->reported && (all || k->ended) &&
			    (c == NULL || k->id < c->id))
				c = k;
		}
		if (c == NULL)
			break;
		if (json) {
			inspect_call_json(ins, c, iface, out);
		} else {
			if (c->ended)
				fprintf(out, "--- call %u ended (frame %u) "
				    "---\n", c->id, c->end_frame);
			else
				fprintf(out, "--- call %u (still open when the "
				    "capture stopped) ---\n", c->id);
			inspect_call_text(ins, c, out);
			fputc('\n', out);
		}
		c->reported = true;
		n++;
	}
	if (n > 0)
		fflush(out);
	return n;
}

/* Opens and starts the capture; NULL with err set on failure. */
static pcap_t *
live_open(const char *iface, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program prog;
	pcap_t *pc;
	int rc;

	if ((pc = pcap_create(iface, ebuf)) == NULL) {
		snprintf(err, errlen, "%s", ebuf);
		return NULL;
	}
	(void)pcap_set_snaplen(pc, LIVE_SNAPLEN);
	(void)pcap_set_promisc(pc, 1);
	(void)pcap_set_immediate_mode(pc, 1);
	(void)pcap_set_timeout(pc, LIVE_POLL_MS);
	rc = pcap_activate(pc);
	if (rc < 0) {
		switch (rc) {
		case PCAP_ERROR_NO_SUCH_DEVICE:
			snprintf(err, errlen, "no such interface (%s)",
			    pcap_geterr(pc));
			break;
		case PCAP_ERROR_PERM_DENIED:
			snprintf(err, errlen, "permission denied: live "
			    "capture needs root or the CAP_NET_RAW capability "
			    "(%s)", pcap_geterr(pc));
			break;
		case PCAP_ERROR_IFACE_NOT_UP:
			snprintf(err, errlen, "the interface is not up");
			break;
		default:
			snprintf(err, errlen, "%s: %s", pcap_statustostr(rc),
			    pcap_geterr(pc));
		}
		pcap_close(pc);
		return NULL;
	}
	if (rc > 0)
		fprintf(stderr, "pptpkit inspect: %s: warning: %s: %s\n", iface,
		    pcap_statustostr(rc), pcap_geterr(pc));
	if (!ins_dlt_ok(pcap_datalink(pc))) {
		snprintf(err, errlen, "link type %s (%d) is not one the "
		    "analyzer reads", pcap_datalink_val_to_name(
		    pcap_datalink(pc)) ? pcap_datalink_val_to_name(
		    pcap_datalink(pc)) : "?", pcap_datalink(pc));
		pcap_close(pc);
		return NULL;
	}
	if (pcap_compile(pc, &prog, LIVE_FILTER, 1,
	    PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(err, errlen, "filter: %s", pcap_geterr(pc));
		pcap_close(pc);
		return NULL;
	}
	rc = pcap_setfilter(pc, &prog);
	pcap_freecode(&prog);
	if (rc != 0) {
		snprintf(err, errlen, "filter: %s", pcap_geterr(pc));
		pcap_close(pc);
		return NULL;
	}
	return pc;
}

int
inspect_live(struct inspect *ins, const char *iface, bool json, FILE *out,
    char *err, size_t errlen)
{
	struct sigaction sa, old_int, old_term;
	struct live_ctx lc = { .ins = ins };
	struct pcap_stat st;
	const char *dn;
	pcap_t *pc;
	int n, ret = 0;

	if ((pc = live_open(iface, err, errlen)) == NULL)
		return ERR_SYS;
	lc.dlt = pcap_datalink(pc);
	ins->dlt = lc.dlt;
	live_stop = 0;
	live_pc = pc;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = live_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: a signal ends the wait */
	(void)sigaction(SIGINT, &sa, &old_int);
	(void)sigaction(SIGTERM, &sa, &old_term);
	dn = pcap_datalink_val_to_name(lc.dlt);
	fprintf(stderr, "pptpkit inspect: listening on %s, link type %s (%d), "
	    "filter \"%s\"; SIGINT or SIGTERM stops\n", iface,
	    dn != NULL ? dn : "?", lc.dlt, LIVE_FILTER);
	while (!live_stop) {
		n = pcap_dispatch(pc, -1, live_packet, (u_char *)&lc);
		if (n == PCAP_ERROR) {
			snprintf(err, errlen, "capture failed: %s",
			    pcap_geterr(pc));
			ret = ERR_SYS;
			break;
		}
		(void)live_report(ins, iface, json, out, false);
	}
	live_pc = NULL;
	(void)sigaction(SIGINT, &old_int, NULL);
	(void)sigaction(SIGTERM, &old_term, NULL);
	(void)live_report(ins, iface, json, out, true);
	if (json) {
		inspect_report_json(ins, iface, out);
	} else {
		fputs("--- summary ---\n", out);
		inspect_summary_text(ins, iface, out);
	}
	fflush(out);
	if (pcap_stats(pc, &st) == 0)
		fprintf(stderr, "pptpkit inspect: %u packets captured, %u "
		    "dropped by the kernel\n", ins->frames, st.ps_drop);
	pcap_close(pc);
	return ret;
}
