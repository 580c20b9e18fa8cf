/*
 * inspect_diag.c - named findings and the security audit (inspect_diag.h).
 */
#include "../inspect/inspect_int.h"
#include "../inspect/inspect_jw.h"

size_t
ins_diagnose(const struct inspect *ins, struct ins_finding *out, size_t cap)
{
	(void)ins, (void)out, (void)cap;
	return 0;
}

void
ins_diag_call_text(const struct inspect *ins, const struct ins_call *c,
    FILE *out, bool color)
{
	(void)ins, (void)c, (void)out, (void)color;
}

void
ins_diag_call_json(struct jw *w, const struct inspect *ins,
    const struct ins_call *c)
{
	(void)w, (void)ins, (void)c;
}

void
ins_diag_global_text(const struct inspect *ins, FILE *out, bool color)
{
	(void)ins, (void)out, (void)color;
}

void
ins_diag_global_json(struct jw *w, const struct inspect *ins)
{
	(void)w, (void)ins;
}
