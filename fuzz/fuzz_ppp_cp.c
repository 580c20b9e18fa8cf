/*
 * fuzz_ppp_cp.c - PPP control packets and options (RFC 1661 5, 6; ppp_opt.h):
 * byte 0 picks LCP/IPCP/IPV6CP/CCP.  Header and valid options re-encode to
 * their octets; the print fits and ends in the malformed flag iff it must.
 */
#include <string.h>
#include "fuzz_common.h"
#include "../src/wire/ppp_opt.h"

static const uint16_t protos[4] = { PPP_LCP, PPP_IPCP, PPP_IPV6CP, PPP_CCP };
static uint8_t out[70000];
static char text[1 << 18];
#define BAD " (malformed: malformed option)"	/* option texts end in '>' */

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint16_t proto = protos[size > 0 ? data[0] & 3 : 0];
	struct rd r, body;
	struct ppp_opt o;
	struct ppp_cp p;
	struct sbuf sb;
	struct wr w;
	int ret;

	if (size < 1)
		return 0;
	sbuf_init(&sb, text, sizeof(text));
	ppp_cp_print(proto, data + 1, size - 1, &sb);
	FUZZ_ASSERT(!sb.truncated);
	rd_init(&r, data + 1, size - 1);
	if (ppp_cp_decode(&r, &p, &body) != 0 || !ppp_code_has_opts(p.code))
		return 0;
	wr_init(&w, out, sizeof(out));
	FUZZ_ASSERT(ppp_cp_encode(&w, p.code, p.id, rd_cur(&body),
	    rd_left(&body)) == 0 && wr_len(&w) == p.length &&
	    memcmp(out, data + 1, p.length) == 0);
	while ((ret = ppp_opt_next(&body, &o)) == 0) {
		wr_init(&w, out, sizeof(out));
		ret = ppp_opt_validate(proto, &o, &w);
		FUZZ_ASSERT(ret == ERR_OPTION || ret == ERR_UNSUPPORTED ||
		    (ret == 0 && wr_len(&w) == o.len &&
		    memcmp(out, rd_cur(&o.val) - 2, o.len) == 0));
	}
	FUZZ_ASSERT(ret == PPP_OPT_END || ret == ERR_OPTION);
	FUZZ_ASSERT((ret == ERR_OPTION) == (sb.len >= sizeof(BAD) - 1 &&
	    strcmp(text + sb.len - (sizeof(BAD) - 1), BAD) == 0));
	return 0;
}
