/*
 * test_inspect_html.c - the analyzer's HTML report (inspect_html*.c), its
 * coloured text (inspect_text.c) and the per-call JSON line (--live):
 *
 *   every capture in tests/data/captures, a synthetic call with a hostile
 *   user name, vendor and host strings, MS-PPP negotiation and a filled
 *   throughput/loss series, and 256 calls with full series (the page
 *   stays bounded): the page is self-contained (no http:, https:, //
 *   references, no src= at all), capture strings are escaped (the only
 *   <script> is ours), then headless Chromium renders it: no console
 *   message (proven able to see one: a page with a deliberate error is
 *   caught), the page's own script ran to its end (data-ready in the DOM
 *   dump), and a PNG screenshot of 1280x2000 with real content;
 *   the screenshot of the synthetic report is kept as
 *   <build>/tests/inspect_report.png;
 *   colour: no ESC byte without it, ESC with it, and the coloured text
 *   with its escape sequences removed is the plain text octet for octet.
 *
 * Chromium (Debian's /usr/bin/chromium, scripts/deps.sh net) runs with a
 * fresh profile in a temporary directory, in its own process group that is
 * killed after it, each run bounded by a 60 s timeout.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "t.h"
#include "icap.h"
#include "ins_build.h"
#include "json.h"
#include "../src/inspect/inspect.h"
#include "../src/wire/ip.h"
#include "../src/wire/pptp_msg.h"

#define CHROMIUM	"/usr/bin/chromium"
#define CHROME_MS	60000
#define A_PNS		0xc0000202u	/* 192.0.2.2 */
#define A_PAC		0xc0000201u	/* 192.0.2.1 */
#define T0		1700000000000000ull	/* microseconds */

/* A user name, a vendor and a host name a hostile peer could send. */
#define EVIL_USER	"<script>alert(\"x\")</script>&'"
#define EVIL_VENDOR	"<img src=x onerror=alert(1)>"
#define EVIL_HOST	"\"><svg onload=alert(2)>"

/* --- frames ------------------------------------------------------------ */

/* A control message from side dir (0: the PNS). */
static void
ctrl(struct ib *b, int dir, const struct pptp_msg *m)
{
	CHECK(ib_msg(b, dir, m) != 0);
}

/* A PPP frame (FF 03 and protocol prepended) in GRE from dir 0 (PNS),
 * 2 ms after the frame before. */
static void
ppp(struct ib *b, int dir, uint16_t proto, const uint8_t *p, size_t n)
{
	uint8_t f[300];

	f[0] = 0xff, f[1] = 0x03, f[2] = (uint8_t)(proto >> 8);
	f[3] = (uint8_t)proto;
	memcpy(f + 4, p, n);
	ib_wait(b, 1000);
	CHECK(ib_gre(b, dir, f, n + 4) != 0);
}

/*
 * A whole call: control connection with a hostile vendor and host name,
 * OCRQ/OCRP (PNS Call ID 7, PAC 42), LCP with PAP, PAP from the hostile
 * user name refused, a retry accepted, IPCP with a Nak, CCP with MPPE,
 * encrypted data, CCRQ/CDN and StopCCRQ/RP.
 */
static struct inspect *
synth_call(void)
{
	static const uint8_t lcp_req_pns[] = { 0x01, 0x01, 0x00, 0x0a,
	    0x05, 0x06, 0x11, 0x22, 0x33, 0x44 };
	static const uint8_t lcp_req_pac[] = { 0x01, 0x01, 0x00, 0x0e,
	    0x03, 0x04, 0xc0, 0x23, 0x05, 0x06, 0x55, 0x66, 0x77, 0x88 };
	static const uint8_t ipcp_req[] = { 0x01, 0x01, 0x00, 0x0a,
	    0x03, 0x06, 0x00, 0x00, 0x00, 0x00 };
	static const uint8_t ipcp_nak[] = { 0x03, 0x01, 0x00, 0x0a,
	    0x03, 0x06, 0x0a, 0x00, 0x00, 0x0a };
	static const uint8_t ipcp_req2[] = { 0x01, 0x02, 0x00, 0x0a,
	    0x03, 0x06, 0x0a, 0x00, 0x00, 0x0a };
	static const uint8_t ccp_req[] = { 0x01, 0x01, 0x00, 0x0a,
	    0x12, 0x06, 0x01, 0x00, 0x00, 0x40 };
	static const uint8_t mppe[] = { 0x90, 0x00, 0xde, 0xad, 0xbe, 0xef };
	struct inspect *ins = inspect_new();
	uint8_t pap[128], b[16];
	struct pptp_msg m;
	struct ib s;
	size_t ul = strlen(EVIL_USER), n;
	int i;

	if (ins == NULL)
		return NULL;
	ib_init(&s, ins, A_PNS, A_PAC);
	s.ts = T0 + 1000;	/* 1 ms per control frame, 2 ms per GRE one */
	s.no_ack[0] = s.no_ack[1] = true;
	s.cid[0] = 7;		/* the OCRQ's and OCRP's Call IDs: the */
	s.cid[1] = 42;		/* GRE Keys */
	ib_tcp(&s, 0, TCP_FLAG_SYN, NULL, 0);
	ib_tcp(&s, 1, TCP_FLAG_SYN | TCP_FLAG_ACK, NULL, 0);
	pptp_msg_init(&m, PPTP_SCCRQ);
	snprintf(m.u.sccrq.vendor, sizeof(m.u.sccrq.vendor), "%s",
	    EVIL_VENDOR);
	snprintf(m.u.sccrq.host_name, sizeof(m.u.sccrq.host_name), "%s",
	    EVIL_HOST);
	ctrl(&s, 0, &m);
	pptp_msg_init(&m, PPTP_SCCRP);
	m.u.sccrp.result = PPTP_SCCRP_SUCCESS;
	snprintf(m.u.sccrp.vendor, sizeof(m.u.sccrp.vendor), "pptpkit");
	ctrl(&s, 1, &m);
	pptp_msg_init(&m, PPTP_OCRQ);
	m.u.ocrq.call_id = 7;
	ctrl(&s, 0, &m);
	pptp_msg_init(&m, PPTP_OCRP);
	m.u.ocrp.call_id = 42, m.u.ocrp.peer_call_id = 7;
	m.u.ocrp.result = PPTP_OCRP_CONNECTED;
	ctrl(&s, 1, &m);
	ppp(&s, 0, 0xc021, lcp_req_pns, sizeof(lcp_req_pns));
	ppp(&s, 1, 0xc021, lcp_req_pac, sizeof(lcp_req_pac));
	memcpy(b, lcp_req_pac, sizeof(lcp_req_pac)), b[0] = 2;
	ppp(&s, 0, 0xc021, b, sizeof(lcp_req_pac));
	memcpy(b, lcp_req_pns, sizeof(lcp_req_pns)), b[0] = 2;
	ppp(&s, 1, 0xc021, b, sizeof(lcp_req_pns));
	for (i = 0; i < 2; i++) {
		/* Authenticate-Request: peer-id, password "secret" */
		n = 0;
		pap[n++] = 1, pap[n++] = (uint8_t)i, pap[n++] = 0;
		pap[n++] = (uint8_t)(4 + 1 + ul + 1 + 6);
		pap[n++] = (uint8_t)ul;
		memcpy(pap + n, EVIL_USER, ul), n += ul;
		pap[n++] = 6;
		memcpy(pap + n, "secret", 6), n += 6;
		ppp(&s, 0, 0xc023, pap, n);
		/* Nak with a hostile message, then Ack */
		n = 0;
		pap[n++] = i == 0 ? 3 : 2, pap[n++] = (uint8_t)i, pap[n++] = 0;
		pap[n++] = 4 + 1 + 9, pap[n++] = 9;
		memcpy(pap + n, "<b>no</b>", 9), n += 9;
		ppp(&s, 1, 0xc023, pap, n);
	}
	ppp(&s, 0, 0x8021, ipcp_req, sizeof(ipcp_req));
	ppp(&s, 1, 0x8021, ipcp_nak, sizeof(ipcp_nak));
	ppp(&s, 0, 0x8021, ipcp_req2, sizeof(ipcp_req2));
	memcpy(b, ipcp_req2, sizeof(ipcp_req2)), b[0] = 2;
	ppp(&s, 1, 0x8021, b, sizeof(ipcp_req2));
	ppp(&s, 0, 0x80fd, ccp_req, sizeof(ccp_req));
	memcpy(b, ccp_req, sizeof(ccp_req)), b[0] = 2;
	ppp(&s, 1, 0x80fd, b, sizeof(ccp_req));
	ppp(&s, 1, 0x80fd, ccp_req, sizeof(ccp_req));
	ppp(&s, 0, 0x80fd, b, sizeof(ccp_req));
	for (i = 0; i < 40; i++)
		ppp(&s, i & 1, 0x00fd, mppe, sizeof(mppe));
	pptp_msg_init(&m, PPTP_CCRQ);
	m.u.ccrq.call_id = 7;
	ctrl(&s, 0, &m);
	pptp_msg_init(&m, PPTP_CDN);
	m.u.cdn.call_id = 42, m.u.cdn.result = PPTP_CDN_REQUEST;
	ctrl(&s, 1, &m);
	pptp_msg_init(&m, PPTP_STOPCCRQ);
	m.u.stopccrq.reason = PPTP_STOP_NONE;
	ctrl(&s, 0, &m);
	pptp_msg_init(&m, PPTP_STOPCCRP);
	m.u.stopccrp.result = PPTP_STOPCCRP_OK;
	ctrl(&s, 1, &m);
	return ins;
}

/* Fills both directions' series of call c by hand: a minute in 0.25 s
 * bins, a ramp with dips, losses in a few bins. */
static void
fill_series(struct inspect *ins, struct ins_call *c, unsigned nbins)
{
	int d;
	unsigned i;

	for (d = 0; d < 2; d++) {
		struct ins_series *s = &c->dir[d].series;

		s->t0_us = ins->first_ts + 500000u * (unsigned)d;
		s->bin_us = 250000;
		s->nbins = nbins;
		for (i = 0; i < nbins; i++) {
			uint64_t base = d == 0 ? 60000 : 9000;
			uint64_t v = base * (1 + (i % 40)) / 8 +
			    (i % 17 == 3 ? 0 : base / 3);

			s->bytes[i] = (i > 100 && i < 110) ? base / 20 : v;
			s->packets[i] = (uint32_t)(s->bytes[i] / 700 + 1);
			s->lost[i] = (i % 37 == 5) ? 1 + i % 4 : 0;
		}
	}
	if (ins->last_ts < ins->first_ts + 250000ull * nbins)
		ins->last_ts = ins->first_ts + 250000ull * nbins;
}

static struct ins_call *
call_of(struct inspect *ins, unsigned id)
{
	int i;

	for (i = 0; i < INS_MAX_CALLS; i++)
		if (ins->calls[i].used && ins->calls[i].id == id)
			return &ins->calls[i];
	return NULL;
}

/* --- page checks ------------------------------------------------------- */

/* A whole file, NUL-terminated (malloc'd); NULL if unreadable. */
static char *
slurp(const char *path, size_t *len)
{
	uint8_t *b = t_read_file(path, len);

	if (b != NULL)
		b[*len] = '\0';	/* t_read_file leaves room for it */
	return (char *)b;
}

static void
rm_rf(const char *dir)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		t_note("could not remove %s", dir);
}

static struct inspect *
run_capture(const char *name)
{
	char path[512];

	return icap_read(icap_file_path(name, path, sizeof(path)));
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;
	const char *p = hay;

	while ((p = strstr(p, needle)) != NULL)
		n++, p++;
	return n;
}

/* Writes the page of ins to path and reads it back (malloc'd). */
static char *
page(const struct inspect *ins, const char *name, const char *path,
    size_t *len)
{
	char err[256] = "";

	if (!t_check(inspect_report_html(ins, name, path, err,
	    sizeof(err)) == 0, __FILE__, __LINE__, "html %s: %s", name, err))
		return NULL;
	return slurp(path, len);
}

/* Self-contained and well-formed enough: nothing fetched, one script,
 * the document closed. */
static bool
self_contained(const char *h, size_t len, const char *what)
{
	bool ok = true;

	ok &= t_check(strncmp(h, "<!DOCTYPE html>", 15) == 0, __FILE__,
	    __LINE__, "%s: doctype", what);
	ok &= t_check(len > 20 && strcmp(h + len - 8, "</html>\n") == 0,
	    __FILE__, __LINE__, "%s: not closed", what);
	ok &= t_check(strlen(h) == len, __FILE__, __LINE__, "%s: NUL", what);
	ok &= t_check(strstr(h, "http://") == NULL && strstr(h,
	    "https://") == NULL && strstr(h, "src=\"//") == NULL &&
	    strstr(h, "url(") == NULL && strstr(h, "@import") == NULL,
	    __FILE__, __LINE__, "%s: external reference", what);
	ok &= t_check(strstr(h, "src=\"") == NULL && strstr(h, "href=\"/") ==
	    NULL && strstr(h, "<link") == NULL && strstr(h, "<img") == NULL &&
	    strstr(h, "<iframe") == NULL && strstr(h, "<object") == NULL,
	    __FILE__, __LINE__, "%s: src= / link / img / iframe", what);
	ok &= t_check(count(h, "<script") == 1 && count(h, "</script>") == 1,
	    __FILE__, __LINE__, "%s: %zu <script> tags, want ours alone",
	    what, count(h, "<script"));
	return ok;
}

/* --- Chromium ------------------------------------------------------------ */

struct chrome {
	char	*dom;		/* --dump-dom output */
	char	*log;		/* stderr */
	int	 status;	/* exit status, -1 on timeout */
	size_t	 png_len;
	unsigned png_w, png_h;
};

static void
chrome_free(struct chrome *c)
{
	free(c->dom);
	free(c->log);
	memset(c, 0, sizeof(*c));
}

static unsigned
be32(const uint8_t *p)
{
	return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 |
	    (unsigned)p[2] << 8 | p[3];
}

/* Renders file html with a screenshot to png; false if Chromium could not
 * be run at all. */
static bool
chrome_run(const char *html, const char *png, struct chrome *c)
{
	char dir[64] = "/tmp/pk-out-chrome-XXXXXX", prof[96], out[96],
	    errp[96], url[600], ud[120], shot[600];
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	uint8_t *p;
	size_t n;
	pid_t pid;
	int st = 0, i, fd;

	memset(c, 0, sizeof(*c));
	c->status = -1;
	if (access(CHROMIUM, X_OK) != 0) {
		t_note("%s is missing: scripts/deps.sh net installs it",
		    CHROMIUM);
		return false;
	}
	if (mkdtemp(dir) == NULL)
		return false;
	snprintf(prof, sizeof(prof), "%s/profile", dir);
	snprintf(out, sizeof(out), "%s/stdout", dir);
	snprintf(errp, sizeof(errp), "%s/stderr", dir);
	snprintf(url, sizeof(url), "file://%s", html);
	snprintf(ud, sizeof(ud), "--user-data-dir=%s", prof);
	snprintf(shot, sizeof(shot), "--screenshot=%s", png);
	unlink(png);
	fflush(NULL);
	if ((pid = fork()) == 0) {
		char *argv[] = { CHROMIUM, "--headless", "--no-sandbox",
		    "--disable-gpu", "--disable-quic", "--no-first-run",
		    "--disable-background-networking",
		    "--disable-component-update", "--disable-sync", ud,
		    "--enable-logging=stderr", "--v=0", "--dump-dom", shot,
		    "--window-size=1280,2000", url, NULL };

		setpgid(0, 0);
		if ((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >= 0)
			dup2(fd, 1), close(fd);
		if ((fd = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >= 0)
			dup2(fd, 2), close(fd);
		execv(CHROMIUM, argv);
		_exit(127);
	}
	if (pid > 0) {
		for (i = 0; i < CHROME_MS / 50; i++) {
			if (waitpid(pid, &st, WNOHANG) == pid)
				break;
			nanosleep(&ts, NULL);
		}
		if (i == CHROME_MS / 50) {
			t_note("chromium: no exit in %d ms", CHROME_MS);
			kill(-pid, SIGKILL);
			waitpid(pid, &st, 0);
		} else {
			c->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 +
			    WTERMSIG(st);
		}
		kill(-pid, SIGKILL);	/* any helper process it left */
	}
	c->dom = slurp(out, &n);
	c->log = slurp(errp, &n);
	if ((p = t_read_file(png, &n)) != NULL) {
		c->png_len = n;
		if (n > 24 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0 &&
		    memcmp(p + 12, "IHDR", 4) == 0)
			c->png_w = be32(p + 16), c->png_h = be32(p + 20);
		free(p);
	}
	rm_rf(dir);
	return pid > 0;
}

/* Console messages in Chromium's log ("...:CONSOLE(n)] "text", source:
 * ..."; this build logs every level, errors and uncaught exceptions
 * included, as INFO:CONSOLE).  The report logs nothing, so any console
 * line is a fault; each is noted. */
static unsigned
chrome_console(const struct chrome *c)
{
	const char *p = c->log, *e;
	unsigned n = 0;

	while (p != NULL && (p = strstr(p, ":CONSOLE")) != NULL) {
		e = strchr(p, '\n');
		t_note("console: %.*s", e ? (int)(e - p) : 200, p);
		n++;
		p = e;
	}
	return n;
}

/* Our page rendered cleanly: exit 0, no console line, its script ran to
 * the end, a full-size PNG with content. */
static void
chrome_check(const struct chrome *c, const char *what)
{
	t_check(c->status == 0, __FILE__, __LINE__, "%s: chromium exit %d",
	    what, c->status);
	t_check(chrome_console(c) == 0, __FILE__, __LINE__,
	    "%s: console messages", what);
	t_check(c->dom != NULL && strstr(c->dom, "data-ready=\"1\"") != NULL,
	    __FILE__, __LINE__, "%s: the page's script did not complete",
	    what);
	t_check(c->png_w == 1280 && c->png_h == 2000, __FILE__, __LINE__,
	    "%s: screenshot %ux%u", what, c->png_w, c->png_h);
	/* a blank 1280x2000 PNG is about 8 KB; the report is far more */
	t_check(c->png_len > 40000, __FILE__, __LINE__,
	    "%s: screenshot of %zu bytes", what, c->png_len);
	if (c->status != 0 && c->log != NULL)
		t_note("%s: chromium said: %.1500s", what, c->log);
}

/* <build>/tests, where this binary is. */
static void
build_tests_dir(char *buf, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", buf, cap - 1);
	char *slash;

	if (n <= 0) {
		snprintf(buf, cap, "/tmp");
		return;
	}
	buf[n] = '\0';
	if ((slash = strrchr(buf, '/')) != NULL)
		*slash = '\0';
}

/* --- tests --------------------------------------------------------------- */

TEST(inspect_html_escapes_capture_strings)
{
	struct inspect *ins = synth_call();
	char path[64] = "/tmp/pk-out-html-XXXXXX";
	char *h;
	size_t len;
	int fd;

	if (!CHECK(ins != NULL) || !CHECK((fd = mkstemp(path)) >= 0)) {
		inspect_free(ins);
		return;
	}
	close(fd);
	if (CHECK(call_of(ins, 1) != NULL)) {
		CHECK(call_of(ins, 1)->auth.result > 0);
		/* series as empty as a call without data */
		memset(&call_of(ins, 1)->dir[0].series, 0,
		    sizeof(struct ins_series));
		memset(&call_of(ins, 1)->dir[1].series, 0,
		    sizeof(struct ins_series));
	}
	if ((h = page(ins, "<evil>\"name\".pcap", path, &len)) != NULL) {
		self_contained(h, len, "synthetic");
		/* no raw tag or attribute from the capture survives */
		CHECK(strstr(h, "<script>alert") == NULL);
		CHECK(strstr(h, "<img") == NULL);
		CHECK(strstr(h, "<svg onload") == NULL);
		CHECK(strstr(h, "<b>no") == NULL);
		CHECK(strstr(h, "<evil>") == NULL);
		/* they are there, escaped */
		CHECK(strstr(h, "&lt;script&gt;alert(\\x22x\\x22)&lt;/script&gt;"
		    "&amp;&#39;") != NULL);
		CHECK(strstr(h, "&lt;img src=x onerror=alert(1)&gt;") != NULL);
		CHECK(strstr(h, "&lt;evil&gt;&quot;name&quot;.pcap") != NULL);
		/* the ladder: control messages and PPP, with frames */
		CHECK(strstr(h, ">OCRQ call 7<") != NULL);
		CHECK(strstr(h, ">OCRP call 42 peer 7 Connected<") != NULL);
		CHECK(strstr(h, ">LCP ConfReq id=1<") != NULL);
		CHECK(strstr(h, "k-bad") != NULL);	/* the PAP Nak */
		CHECK(strstr(h, "id=\"call-1\"") != NULL);
		CHECK(strstr(h, "id=\"conn-1\"") != NULL);
		/* no series: the charts say so */
		CHECK(strstr(h, ">no data<") != NULL);
		free(h);
	}
	unlink(path);
	inspect_free(ins);
}

TEST(inspect_html_bad_path_is_an_error)
{
	struct inspect *ins = inspect_new();
	char err[256] = "";

	if (!CHECK(ins != NULL))
		return;
	CHECK_ERR(inspect_report_html(ins, "x", "/nonexistent-pk/dir/r.html",
	    err, sizeof(err)), ERR_SYS);
	CHECK(strstr(err, "No such file") != NULL);
	inspect_free(ins);
}

/* Many calls with full series: the page stays bounded by the caps. */
TEST(inspect_html_bounded)
{
	struct inspect *ins = inspect_new();
	char path[64] = "/tmp/pk-out-html-XXXXXX";
	struct stat sb;
	unsigned i;
	int fd;

	if (!CHECK(ins != NULL) || !CHECK((fd = mkstemp(path)) >= 0)) {
		inspect_free(ins);
		return;
	}
	close(fd);
	for (i = 0; i < INS_MAX_CALLS + 40; i++) {
		struct ib_ip4 ip = { .src = 0x0a000000u + i, .dst = A_PAC };
		struct gre_hdr h = { .has_seq = true,
		    .call_id = (uint16_t)(100 + i), .seq = 1 };
		static const uint8_t lcp[] = { 0xff, 0x03, 0xc0, 0x21, 0x01,
		    0x01, 0x00, 0x04 };

		ib_feed_gre(ins, T0 + i, &ip, &h, lcp, sizeof(lcp));
	}
	for (i = 0; i < INS_MAX_CALLS; i++)
		if (ins->calls[i].used)
			fill_series(ins, &ins->calls[i], INS_SERIES_BINS);
	CHECK(inspect_report_html(ins, "many", path, (char [128]){ 0 },
	    128) == 0);
	CHECK(stat(path, &sb) == 0);
	t_note("%d calls with full series: %lld bytes of HTML", INS_MAX_CALLS,
	    (long long)sb.st_size);
	CHECK(sb.st_size > 100000 && sb.st_size < 64ll << 20);
	unlink(path);
	inspect_free(ins);
}

/* The detector sees a console error, and a script that did not finish,
 * so a clean report below is a real result. */
TEST(inspect_html_chromium_sees_errors)
{
	char dir[64] = "/tmp/pk-out-html-XXXXXX", html[128], png[128];
	struct chrome c;
	FILE *f;

	if (!CHECK(mkdtemp(dir) != NULL))
		return;
	snprintf(html, sizeof(html), "%s/bad.html", dir);
	snprintf(png, sizeof(png), "%s/bad.png", dir);
	if ((f = fopen(html, "w")) != NULL) {
		fputs("<!DOCTYPE html><html><body><p>x</p><script>"
		    "no_such_function();document.documentElement.setAttribute"
		    "('data-ready','1');</script></body></html>\n", f);
		fclose(f);
	}
	if (CHECK(chrome_run(html, png, &c))) {
		CHECK_EQ(c.status, 0);
		CHECK(chrome_console(&c) >= 1);
		CHECK(c.log != NULL && strstr(c.log, "Uncaught") != NULL);
		CHECK(c.dom != NULL && strstr(c.dom, "data-ready=\"1\"") ==
		    NULL);
		CHECK(c.png_w == 1280 && c.png_h == 2000);
	}
	chrome_free(&c);
	rm_rf(dir);
}

TEST(inspect_html_captures_render)
{
	char dir[64] = "/tmp/pk-out-html-XXXXXX", html[160], png[600],
	    bdir[512];
	struct chrome c;
	size_t i, len;
	char *h;

	if (!CHECK(mkdtemp(dir) != NULL))
		return;
	build_tests_dir(bdir, sizeof(bdir));
	for (i = 0; i < ICAP_NFILES; i++) {
		struct inspect *ins = run_capture(icap_files[i]);

		if (!CHECK(ins != NULL))
			continue;
		snprintf(html, sizeof(html), "%s/%s.html", dir, icap_files[i]);
		if ((h = page(ins, icap_files[i], html, &len)) != NULL) {
			self_contained(h, len, icap_files[i]);
			if (ins->calls[0].used)
				CHECK(strstr(h, "id=\"call-1\"") != NULL);
			free(h);
		}
		snprintf(png, sizeof(png), "%s/inspect_report_%.*s.png", bdir,
		    (int)(strchr(icap_files[i], '.') - icap_files[i]),
		    icap_files[i]);
		if (CHECK(chrome_run(html, png, &c)))
			chrome_check(&c, icap_files[i]);
		chrome_free(&c);
		inspect_free(ins);
	}
	rm_rf(dir);
}

TEST(inspect_html_synthetic_renders)
{
	char html[600], png[600];
	struct inspect *ins = synth_call();
	struct ins_call *call;
	struct chrome c;
	size_t len;
	char *h;

	if (!CHECK(ins != NULL))
		return;
	if ((call = call_of(ins, 1)) != NULL) {
		fill_series(ins, call, 240);
		call->dir[0].x.rtt_samples = 4;
		call->dir[0].x.rtt_min_us = 800;
		call->dir[0].x.rtt_sum_us = 6000;
		call->dir[0].x.rtt_max_us = 3100;
	}
	/* kept beside the test binary, with its screenshot */
	build_tests_dir(html, sizeof(html) - 32);
	strcat(html, "/inspect_report.html");
	if ((h = page(ins, "synthetic <MS-CHAP> call", html, &len)) != NULL) {
		self_contained(h, len, "synthetic with series");
		CHECK(strstr(h, "class=\"line\"") != NULL);	/* throughput */
		CHECK(strstr(h, "class=\"bar\"") != NULL);	/* losses */
		CHECK(strstr(h, "bit/s") != NULL);
		free(h);
	}
	build_tests_dir(png, sizeof(png) - 32);
	strcat(png, "/inspect_report.png");
	if (CHECK(chrome_run(html, png, &c))) {
		chrome_check(&c, "synthetic");
		CHECK(c.dom != NULL && strstr(c.dom, "id=\"call-1\"") != NULL);
		t_note("page %s, screenshot %s (%zu bytes)", html, png,
		    c.png_len);
	}
	chrome_free(&c);
	inspect_free(ins);
}

/* --- colour and the per-call JSON line ------------------------------------ */

/* out with every ESC [ ... m removed. */
static size_t
strip_ansi(char *s, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\033' && i + 1 < n && s[i + 1] == '[') {
			i += 2;
			while (i < n && s[i] != 'm')
				i++;
			continue;
		}
		s[o++] = s[i];
	}
	s[o] = '\0';
	return o;
}

static char *
text_of(struct inspect *ins, bool color, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (f == NULL)
		return NULL;
	ins->color = color;
	inspect_report_text(ins, "x.pcap", f);
	fclose(f);
	return buf;
}

TEST(inspect_text_color)
{
	struct inspect *ins[2] = { synth_call(),
	    run_capture("packetlife__PPTP_negotiation.cap") };
	size_t lp, lc;
	char *plain, *col;
	int k;

	for (k = 0; k < 2; k++) {
		if (!CHECK(ins[k] != NULL))
			continue;
		plain = text_of(ins[k], false, &lp);
		col = text_of(ins[k], true, &lc);
		if (CHECK(plain != NULL && col != NULL)) {
			CHECK(memchr(plain, '\033', lp) == NULL);
			CHECK(memchr(col, '\033', lc) != NULL);
			CHECK(strstr(col, "\033[1mcall 1\033[0m") != NULL);
			/* success is green */
			CHECK(strstr(col, "result=\033[32msuccess") != NULL);
			lc = strip_ansi(col, lc);
			CHECK(lc == lp && memcmp(col, plain, lp) == 0);
		}
		free(plain);
		free(col);
		inspect_free(ins[k]);
	}
}

TEST(inspect_call_json_is_one_line)
{
	struct inspect *ins = synth_call();
	struct json *j, *c;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (!CHECK(ins != NULL))
		return;
	if ((f = open_memstream(&buf, &len)) != NULL) {
		inspect_call_json(ins, call_of(ins, 1), "veth0", f);
		fclose(f);
	}
	if (CHECK(buf != NULL && len > 2)) {
		CHECK(buf[len - 1] == '\n' && memchr(buf, '\n', len - 1) ==
		    NULL);
		j = json_parse(buf, len);
		if (CHECK(j != NULL)) {
			CHECK_STR(json_get(j, "schema")->str, INS_JSON_SCHEMA);
			CHECK_STR(json_get(j, "event")->str, "call");
			CHECK_STR(json_get(j, "source")->str, "veth0");
			c = json_get(j, "call");
			CHECK_EQ(json_int(json_get(c, "id")), 1);
			CHECK_EQ(json_int(json_get(c, "pns_call_id")), 7);
			CHECK_EQ(json_int(json_get(c, "pac_call_id")), 42);
			CHECK_STR(json_get(json_get(c, "auth"), "user")->str,
			    EVIL_USER);
			json_free(j);
		}
	}
	free(buf);
	inspect_free(ins);
}
