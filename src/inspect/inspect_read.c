/*
 * inspect_read.c - the capture reader: the only code in src/inspect that
 * reads capture files.  Frames stream through inspect_packet() one at a
 * time, so memory does not depend on the file's size.
 *
 * A classic pcap file (the format of libpcap's savefile: a 24-octet file
 * header, then 16-octet record headers, in the writer's byte order, with
 * microsecond or nanosecond timestamps) of a link type the analyzer reads
 * is parsed here, from large read()s into one fixed buffer: no per-record
 * call into stdio, no copy of each frame.  Everything else - pcapng,
 * stdin, pipes, other link types, other versions - goes to libpcap's
 * pcap_open_offline(), as does any file whose header is not understood
 * here, so the error messages stay libpcap's.  Every record is
 * bounds-checked: a capture length above INS_READ_MAXCAP (libpcap's
 * largest snapshot) or a file that ends inside a record stops the reading
 * with ERR_TRUNCATED after the frames before it.
 *
 * With ins->progress, a progress line on stderr shows the share of the
 * file read, MB/s and frames, for files of INS_PROGRESS_SIZE or more or
 * once reading has taken INS_PROGRESS_AFTER; the clock is read every
 * INS_PROGRESS_EVERY frames, the line redrawn at most 10 times a second
 * and erased at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../base/err.h"
#include "../inspect/inspect_int.h"

#define INS_READ_BUF		(4u << 20)	/* one read() */
#define INS_READ_MAXCAP		262144u	/* libpcap's MAXIMUM_SNAPLEN */
#define PCAP_FILE_HDR		24
#define PCAP_REC_HDR		16

#define INS_PROGRESS_SIZE	(50u * 1000 * 1000)	/* octets */
#define INS_PROGRESS_AFTER	1.0	/* seconds */
#define INS_PROGRESS_EVERY	4096	/* frames between clock reads */
#define INS_PROGRESS_PERIOD	0.1	/* seconds between redraws */

/* --- progress line -------------------------------------------------------- */

size_t
ins_progress_line(char *buf, size_t cap, uint64_t done, uint64_t total,
    double secs, uint64_t packets, unsigned width)
{
	char tail[96];
	double mb = (double)done / 1e6, rate = secs > 0 ? mb / secs : 0;
	unsigned pct, bar, fill, i;
	size_t n, len;
	int t;

	if (cap == 0)
		return 0;
	buf[0] = '\0';
	if (total == 0) {
		t = snprintf(buf, cap, "%9.1f MB  %7.1f MB/s  %llu packets",
		    mb, rate, (unsigned long long)packets);
		return t < 0 ? 0 : (size_t)t < cap ? (size_t)t : cap - 1;
	}
	if (done > total)
		done = total;
	pct = (unsigned)(done * 100 / total);
	t = snprintf(tail, sizeof(tail), " %3u%%  %7.1f MB/s  %llu packets",
	    pct, rate, (unsigned long long)packets);
	n = t < 0 ? 0 : (size_t)t;
	/* "[" bar "]" tail, within width: a bar of 10 to 40 columns */
	bar = width > n + 2 + 10 ? (unsigned)(width - n - 2) : 10;
	if (bar > 40)
		bar = 40;
	fill = (unsigned)((uint64_t)bar * done / total);
	len = 0;
	if (len + 1 < cap)
		buf[len++] = '[';
	for (i = 0; i < bar && len + 1 < cap; i++)
		buf[len++] = i < fill ? '#' : '.';
	if (len + 1 < cap)
		buf[len++] = ']';
	for (i = 0; i < n && len + 1 < cap; i++)
		buf[len++] = tail[i];
	buf[len] = '\0';
	return len;
}

struct ins_progress {
	bool		on;		/* wanted (a terminal) */
	bool		shown;		/* something is on the line */
	uint64_t	total;		/* file size, 0 unknown */
	struct timespec	t0;
	double		last;		/* seconds at the last redraw */
	unsigned	countdown;	/* frames to the next clock read */
	unsigned	width;
};

static double
ins_elapsed(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) +
	    (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
ins_progress_start(struct ins_progress *pg, const struct inspect *ins,
    uint64_t total)
{
	struct winsize ws;

	memset(pg, 0, sizeof(*pg));
	pg->on = ins->progress;
	pg->total = total;
	pg->countdown = INS_PROGRESS_EVERY;
	pg->width = 79;
	if (pg->on && ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 20)
		pg->width = (unsigned)ws.ws_col - 1;
	clock_gettime(CLOCK_MONOTONIC, &pg->t0);
}

/* Called once per frame with the octets consumed so far: cheap unless a
 * clock read is due. */
static inline void
ins_progress_tick(struct ins_progress *pg, const struct inspect *ins,
    uint64_t done)
{
	char line[256];
	double secs;

	if (!pg->on || --pg->countdown > 0)
		return;
	pg->countdown = INS_PROGRESS_EVERY;
	secs = ins_elapsed(&pg->t0);
	if (pg->total < INS_PROGRESS_SIZE && secs < INS_PROGRESS_AFTER)
		return;
	if (pg->shown && secs - pg->last < INS_PROGRESS_PERIOD)
		return;
	pg->last = secs;
	pg->shown = true;
	ins_progress_line(line, sizeof(line), done, pg->total, secs,
	    ins->frames, pg->width);
	fprintf(stderr, "\r%s\033[K", line);
	fflush(stderr);
}

static void
ins_progress_end(struct ins_progress *pg)
{
	if (!pg->shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
}

/* --- classic pcap, read here ---------------------------------------------- */

struct ins_pcap_hdr {
	bool		swap;		/* written in the other byte order */
	bool		nsec;		/* nanosecond timestamps */
	uint32_t	snaplen;
	int		dlt;
};

static uint32_t
ins_get32(const uint8_t *p, bool swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

static uint16_t
ins_get16(const uint8_t *p, bool swap)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return swap ? __builtin_bswap16(v) : v;
}

/* The link types read here, as libpcap reports them (LINKTYPE_RAW 101 is
 * DLT_RAW); -1 for the others (libpcap reads those files). */
static int
ins_linktype_dlt(uint32_t lt)
{
	if (lt == 101)
		return INS_DLT_RAW;
	return lt <= 0xffff && ins_dlt_ok((int)lt) ? (int)lt : -1;
}

/* 0 when h[24] is a classic pcap header this reader handles. */
static int
ins_pcap_hdr_parse(const uint8_t *h, struct ins_pcap_hdr *ph)
{
	uint32_t magic;

	memcpy(&magic, h, 4);
	memset(ph, 0, sizeof(*ph));
	switch (magic) {
	case 0xa1b2c3d4: break;
	case 0xd4c3b2a1: ph->swap = true; break;
	case 0xa1b23c4d: ph->nsec = true; break;
	case 0x4d3cb2a1: ph->swap = ph->nsec = true; break;
	default: return ERR_MAGIC;
	}
	if (ins_get16(h + 4, ph->swap) != 2)	/* version 2.x only */
		return ERR_VERSION;
	ph->snaplen = ins_get32(h + 16, ph->swap);
	if ((ph->dlt = ins_linktype_dlt(ins_get32(h + 20, ph->swap))) < 0)
		return ERR_UNSUPPORTED;
	return 0;
}

/* Reads until buf holds want octets from *have on, or the file ends;
 * 0, or ERR_SYS with err set. */
static int
ins_fill(int fd, uint8_t *buf, size_t *have, size_t want, bool *eof,
    char *err, size_t errlen)
{
	ssize_t r;

	while (*have < want && !*eof) {
		r = read(fd, buf + *have, INS_READ_BUF - *have);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "read: %s", strerror(errno));
			return ERR_SYS;
		}
		if (r == 0)
			*eof = true;
		*have += (size_t)r;
	}
	return 0;
}

static int
ins_read_pcap(struct inspect *ins, int fd, const struct ins_pcap_hdr *ph,
    uint64_t size, char *err, size_t errlen)
{
	struct ins_progress pg;
	uint8_t *buf;
	size_t have = 0, pos = 0, need;
	uint64_t off = PCAP_FILE_HDR, ts;
	uint32_t sec, frac, caplen, len;
	bool eof = false;
	int ret = 0;

	if ((buf = malloc(INS_READ_BUF)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return ERR_SYS;
	}
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	ins_progress_start(&pg, ins, size);
	for (;;) {
		if (have - pos < PCAP_REC_HDR) {
			memmove(buf, buf + pos, have - pos);
			have -= pos;
			pos = 0;
			if ((ret = ins_fill(fd, buf, &have, PCAP_REC_HDR, &eof,
			    err, errlen)) != 0)
				break;
			if (have == 0)
				break;		/* the end, between records */
			if (have < PCAP_REC_HDR) {
				snprintf(err, errlen, "truncated dump file; "
				    "tried to read %u header bytes, only got "
				    "%zu", PCAP_REC_HDR, have);
				ret = ERR_TRUNCATED;
				break;
			}
		}
		sec = ins_get32(buf + pos, ph->swap);
		frac = ins_get32(buf + pos + 4, ph->swap);
		caplen = ins_get32(buf + pos + 8, ph->swap);
		if (caplen > INS_READ_MAXCAP) {
			snprintf(err, errlen, "invalid packet capture length "
			    "%u, bigger than maximum of %u", caplen,
			    INS_READ_MAXCAP);
			ret = ERR_TRUNCATED;
			break;
		}
		need = PCAP_REC_HDR + (size_t)caplen;
		if (have - pos < need) {
			memmove(buf, buf + pos, have - pos);
			have -= pos;
			pos = 0;
			if ((ret = ins_fill(fd, buf, &have, need, &eof, err,
			    errlen)) != 0)
				break;
			if (have < need) {
				snprintf(err, errlen, "truncated dump file; "
				    "tried to read %u captured bytes, only got "
				    "%zu", caplen, have - PCAP_REC_HDR);
				ret = ERR_TRUNCATED;
				break;
			}
		}
		/* as libpcap: a record longer than the snapshot length is
		 * cut to it */
		len = ph->snaplen > 0 && caplen > ph->snaplen ? ph->snaplen :
		    caplen;
		ts = (uint64_t)sec * 1000000u + (ph->nsec ? frac / 1000 : frac);
		inspect_packet(ins, ts, ph->dlt, buf + pos + PCAP_REC_HDR, len);
		pos += need;
		off += need;
		ins_progress_tick(&pg, ins, off);
	}
	ins_progress_end(&pg);
	free(buf);
	return ret;
}

/* --- everything else, through libpcap ------------------------------------ */

static int
ins_read_libpcap(struct inspect *ins, const char *path, uint64_t size,
    char *err, size_t errlen)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct ins_progress pg;
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t approx = 24;	/* octets read, when ftell cannot say */
	pcap_t *pc;
	FILE *f;
	long pos;
	int dlt, r;

	errbuf[0] = '\0';
	if ((pc = pcap_open_offline(path, errbuf)) == NULL) {
		snprintf(err, errlen, "%s", errbuf);
		return ERR_SYS;
	}
	dlt = pcap_datalink(pc);
	f = pcap_file(pc);
	ins_progress_start(&pg, ins, size);
	while ((r = pcap_next_ex(pc, &h, &data)) == 1) {
		inspect_packet(ins, (uint64_t)h->ts.tv_sec * 1000000u +
		    (uint64_t)h->ts.tv_usec, dlt, data, h->caplen);
		approx += 16 + h->caplen;
		/* the offset is wanted only when the tick reads the clock */
		pos = pg.on && pg.countdown == 1 && f != NULL ? ftell(f) : -1;
		ins_progress_tick(&pg, ins, pos > 0 ? (uint64_t)pos : approx);
	}
	ins_progress_end(&pg);
	if (r == -1) {
		/* a capture cut mid-record: report what was read */
		snprintf(err, errlen, "%s", pcap_geterr(pc));
		pcap_close(pc);
		return ERR_TRUNCATED;
	}
	pcap_close(pc);
	return 0;
}

int
inspect_read_file(struct inspect *ins, const char *path, char *err,
    size_t errlen)
{
	struct ins_pcap_hdr ph;
	uint8_t hdr[PCAP_FILE_HDR];
	struct stat st;
	size_t have = 0;
	bool eof = false;
	int fd, ret;

	if (strcmp(path, "-") == 0)
		return ins_read_libpcap(ins, path, 0, err, errlen);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		/* libpcap says what is wrong, in its words */
		if (fd >= 0)
			close(fd);
		return ins_read_libpcap(ins, path, 0, err, errlen);
	}
	while (have < sizeof(hdr) && !eof) {
		ssize_t r = read(fd, hdr + have, sizeof(hdr) - have);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			eof = true;
		else
			have += (size_t)r;
	}
	if (have < sizeof(hdr) || ins_pcap_hdr_parse(hdr, &ph) != 0) {
		close(fd);
		return ins_read_libpcap(ins, path, (uint64_t)st.st_size, err,
		    errlen);
	}
	ret = ins_read_pcap(ins, fd, &ph, (uint64_t)st.st_size, err, errlen);
	close(fd);
	return ret;
}
