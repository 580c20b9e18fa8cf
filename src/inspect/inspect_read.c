/*
 * inspect_read.c - the capture reader: the only code in src/inspect that
 * touches libpcap.  pcap_open_offline() reads pcap (either byte order) and
 * pcapng, and `-` means stdin.  Frames stream through inspect_packet() one
 * at a time, so memory does not depend on the file's size.
 */
#include <pcap/pcap.h>
#include <stdio.h>

#include "../base/err.h"
#include "../inspect/inspect.h"

int
inspect_read_file(struct inspect *ins, const char *path, char *err,
    size_t errlen)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *pc;
	int dlt, r;

	errbuf[0] = '\0';
	if ((pc = pcap_open_offline(path, errbuf)) == NULL) {
		snprintf(err, errlen, "%s", errbuf);
		return ERR_SYS;
	}
	dlt = pcap_datalink(pc);
	while ((r = pcap_next_ex(pc, &h, &data)) == 1)
		inspect_packet(ins, (uint64_t)h->ts.tv_sec * 1000000u +
		    (uint64_t)h->ts.tv_usec, dlt, data, h->caplen);
	if (r == -1) {
		/* a capture cut mid-record: report what was read */
		snprintf(err, errlen, "%s", pcap_geterr(pc));
		pcap_close(pc);
		return ERR_TRUNCATED;
	}
	pcap_close(pc);
	return 0;
}

