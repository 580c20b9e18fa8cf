/*
 * inspect_html.c - the self-contained HTML report.
 */
#include "../base/err.h"
#include "../inspect/inspect_int.h"

int
inspect_report_html(const struct inspect *ins, const char *file,
    const char *path, char *err, size_t errlen)
{
	(void)ins, (void)file, (void)path;
	snprintf(err, errlen, "not built yet");
	return ERR_SYS;
}
