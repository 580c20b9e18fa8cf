/*
 * inspect_mtu.c - time series, MTU evidence and the inner packets' TCP MSS
 * (inspect_gre.h).
 */
#include "../inspect/inspect_int.h"
#include "../inspect/inspect_jw.h"

void
ins_series_add(struct ins_series *s, uint64_t ts_us, unsigned bytes,
    unsigned lost)
{
	(void)s, (void)ts_us, (void)bytes, (void)lost;
}

void
ins_inner_ip(struct inspect *ins, struct ins_call *call, int d,
    const uint8_t *p, size_t n)
{
	(void)ins, (void)call, (void)d, (void)p, (void)n;
}

void
ins_gre_ext_text(const struct ins_call *c, int d, FILE *out)
{
	(void)c, (void)d, (void)out;
}

void
ins_gre_ext_json(struct jw *w, const struct ins_call *c, int d)
{
	(void)w, (void)c, (void)d;
}

void
ins_mtu_text(const struct ins_call *c, FILE *out)
{
	(void)c, (void)out;
}

void
ins_mtu_json(struct jw *w, const struct ins_call *c)
{
	(void)w, (void)c;
}

size_t
ins_mtu_findings(const struct inspect *ins, const struct ins_call *c,
    struct ins_finding *out, size_t cap)
{
	(void)ins, (void)c, (void)out, (void)cap;
	return 0;
}
