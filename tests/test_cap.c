/*
 * test_cap.c - the test-support capture walker agrees with TShark on the
 * shared captures: frame counts, TCP/1723 segments and retransmissions, and
 * the innermost addresses through VLAN and IPv4-in-IPv6.
 */
#include <stdio.h>

#include "t.h"
#include "cap.h"
#include "json.h"

static const char *const cap_files[] = {
	"packetlife__PPTP_negotiation.cap",
	"tcpdump__pptp.pcap",
	"nDPI__pptp.pcap",
	"zeek__gre-pptp.pcap",
	"neg__packetlife__GRE.cap",
};

static struct json *
load_expected(const char *file)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/captures/expected/%s.expected.json",
	    T_DATA, file);
	return json_load(path);
}

TEST(cap_counts_agree_with_tshark)
{
	for (size_t i = 0; i < sizeof(cap_files) / sizeof(cap_files[0]); i++) {
		char path[512];
		struct cap_stats st;
		struct json *exp = load_expected(cap_files[i]);

		snprintf(path, sizeof(path), "%s/captures/%s", T_DATA,
		    cap_files[i]);
		if (!CHECK(exp != NULL))
			continue;
		CHECK_OK(cap_walk(path, 1723, NULL, NULL, NULL, &st));
		t_note("%s: %u packets", cap_files[i], st.packets);
		CHECK_EQ(st.packets, json_int(json_get(exp, "packets")));
		CHECK_EQ(st.tcp_segments,
		    json_int(json_get(exp, "tcp1723_payload_segments")));
		CHECK_EQ(st.tcp_retrans,
		    json_len(json_get(exp, "tcp1723_retransmitted_segments")));
		json_free(exp);
	}
}

struct gre_addrs {
	unsigned	 n;
	char		 src[4][48];
};

static int
collect_gre(const struct cap_pkt *p, void *ctx)
{
	struct gre_addrs *a = ctx;

	if (p->proto == 47 && a->n < 4)
		snprintf(a->src[a->n++], sizeof(a->src[0]), "%s", p->src);
	return 0;
}

TEST(cap_finds_inner_ipv4_in_ipv6_behind_vlan)
{
	char path[512];
	struct gre_addrs a = { 0 };

	snprintf(path, sizeof(path), "%s/captures/zeek__gre-pptp.pcap", T_DATA);
	CHECK_OK(cap_walk(path, 1723, collect_gre, NULL, &a, NULL));
	CHECK_EQ(a.n, 2);
	CHECK_STR(a.src[0], "16.0.0.200");
	CHECK_STR(a.src[1], "192.52.166.154");
}

TEST(cap_missing_file_is_an_error)
{
	CHECK(cap_walk("/nonexistent/x.pcap", 1723, NULL, NULL, NULL, NULL) < 0);
}

TEST(json_reader_basics)
{
	static const char doc[] = "{\"a\": [1, 2.5, null, \"x\\u00e9\"], \"b\": {\"c\": true}}";
	struct json *j = json_parse(doc, sizeof(doc) - 1);

	if (!CHECK(j != NULL))
		return;
	CHECK_EQ(json_len(json_get(j, "a")), 4);
	CHECK_EQ(json_int(json_at(json_get(j, "a"), 0)), 1);
	CHECK(json_is_null(json_at(json_get(j, "a"), 2)));
	CHECK_STR(json_at(json_get(j, "a"), 3)->str, "x\xc3\xa9");
	CHECK_EQ(json_int(json_get(json_get(j, "b"), "c")), 1);
	CHECK(json_parse("{\"a\":", 5) == NULL);
	CHECK(json_parse("[1,]", 4) == NULL);
	json_free(j);
}
