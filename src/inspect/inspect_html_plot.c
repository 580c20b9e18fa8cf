/*
 * inspect_html_plot.c - the HTML report's charts: per call, the throughput
 * of both GRE directions (RFC 2637 4.1) over time as step lines, and the
 * sequence-number gaps (lost packets, RFC 2637 4.4) per time bin as bars,
 * both from the bounded time series of struct ins_series.  Inline SVG with
 * axes, ticks at 1-2-5 steps and a legend; each bin's values in a tooltip.
 * No libm: the tick arithmetic is done with loops.
 */
#include <string.h>

#include "../inspect/inspect_html.h"
#include "../inspect/inspect_int.h"

#define PL_W		560
#define PL_H		240
#define PL_L		62	/* left margin: y tick labels */
#define PL_R		14
#define PL_T		40	/* title and legend */
#define PL_B		44	/* x tick labels and axis title */
#define PL_TICKS	5
#define PL_COLS		64	/* hover columns of a chart */

static const char *const pl_colour[2] = { "#2563eb", "#ea580c" };

enum pl_kind { PL_RATE, PL_LOSS };

struct pl_frame {
	uint64_t	t0, t1;		/* microseconds, absolute */
	uint64_t	base;		/* the capture's start */
	double		ymax;		/* top of the y axis */
	double		ystep;
};

static bool
pl_usable(const struct ins_series *s)
{
	return s->nbins > 0 && s->bin_us > 0;
}

static unsigned
pl_nbins(const struct ins_series *s)
{
	return s->nbins < INS_SERIES_BINS ? s->nbins : INS_SERIES_BINS;
}

/* A step of 1, 2 or 5 times a power of ten, at least span / n. */
static double
pl_nice(double span, int n)
{
	double raw = span / n, p = 1;
	int guard;

	if (!(raw > 0) || raw > 1e300)
		return 1;
	for (guard = 0; p * 10 <= raw && guard < 400; guard++)
		p *= 10;
	for (guard = 0; p > raw && guard < 400; guard++)
		p /= 10;
	if (raw <= p)
		return p;
	if (raw <= 2 * p)
		return 2 * p;
	if (raw <= 5 * p)
		return 5 * p;
	return 10 * p;
}

static double
pl_value(const struct ins_series *s, unsigned i, enum pl_kind k)
{
	if (k == PL_LOSS)
		return (double)s->lost[i];
	return (double)s->bytes[i] * 8.0 * 1e6 / (double)s->bin_us;
}

/* 1.5k, 20M ...: an axis label. */
static void
pl_si(char *buf, size_t cap, double v)
{
	static const char *const pre[] = { "", "k", "M", "G", "T" };
	int i = 0;

	while (v >= 1000 && i < 4)
		v /= 1000, i++;
	snprintf(buf, cap, "%.3g%s", v, pre[i]);
}

static double
pl_x(const struct pl_frame *fr, uint64_t t)
{
	double span = (double)(fr->t1 - fr->t0);

	if (t < fr->t0)
		t = fr->t0;
	return PL_L + (double)(t - fr->t0) / span * (PL_W - PL_L - PL_R);
}

static double
pl_y(const struct pl_frame *fr, double v)
{
	if (v > fr->ymax)
		v = fr->ymax;
	return PL_T + (1.0 - v / fr->ymax) * (PL_H - PL_T - PL_B);
}

static void
pl_axes(FILE *f, const struct pl_frame *fr, const char *ytitle)
{
	double xs = (double)(fr->t0 - fr->base) / 1e6;
	double xe = (double)(fr->t1 - fr->base) / 1e6;
	double step = pl_nice(xe - xs, 6), v, y;
	char lab[32];
	int k;

	/* horizontal grid and y labels */
	for (k = 0, v = 0; v <= fr->ymax * 1.0001 && k < 32; k++,
	    v = k * fr->ystep) {
		y = pl_y(fr, v);
		fprintf(f, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" "
		    "x2=\"%d\" y2=\"%.1f\"/>", PL_L, y, PL_W - PL_R, y);
		pl_si(lab, sizeof(lab), v);
		fprintf(f, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" "
		    "text-anchor=\"end\">%s</text>", PL_L - 6, y + 4, lab);
	}
	/* x ticks at multiples of step seconds since the capture began */
	v = (double)(long long)(xs / step) * step;
	if (v < xs)
		v += step;
	for (k = 0; v <= xe + step * 1e-6 && k < 40; k++, v += step) {
		double x = pl_x(fr, fr->base + (uint64_t)(v * 1e6 + 0.5));

		fprintf(f, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" "
		    "x2=\"%.1f\" y2=\"%d\"/><text class=\"tick\" x=\"%.1f\" "
		    "y=\"%d\" text-anchor=\"middle\">%.4g</text>", x,
		    PL_H - PL_B, x, PL_H - PL_B + 5, x, PL_H - PL_B + 18, v);
	}
	fprintf(f, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\"/><line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\"/>", PL_L, PL_T, PL_L, PL_H - PL_B, PL_L, PL_H - PL_B,
	    PL_W - PL_R, PL_H - PL_B);
	fprintf(f, "<text class=\"atitle\" x=\"%d\" y=\"%d\" "
	    "text-anchor=\"middle\">time since the capture began (s)</text>",
	    (PL_L + PL_W - PL_R) / 2, PL_H - 8);
	fprintf(f, "<text class=\"atitle\" transform=\"translate(14 %d) "
	    "rotate(-90)\" text-anchor=\"middle\">%s</text>",
	    (PL_T + PL_H - PL_B) / 2, ytitle);
}

static void
pl_legend(FILE *f, const struct ins_series *s[2], const char *name[2])
{
	int d, x = PL_L;

	for (d = 0; d < 2; d++) {
		fprintf(f, "<rect x=\"%d\" y=\"24\" width=\"12\" height=\"4\" "
		    "fill=\"%s\"/><text class=\"leg\" x=\"%d\" y=\"30\">",
		    x, pl_colour[d], x + 16);
		fputs(name[d], f);	/* our own text, already HTML */
		if (!pl_usable(s[d]))
			fputs(": no data", f);
		fputs("</text>", f);
		x += 250;
	}
}

/*
 * Hover targets: the plot cut into at most PL_COLS columns, each with a
 * tooltip of both directions' bytes, rate, packets and losses there.  Per
 * column rather than per bin, so a page of many calls stays small.
 */
static void
pl_columns(FILE *f, const struct pl_frame *fr, const struct ins_series *s[2],
    const char *name[2])
{
	uint64_t bytes[PL_COLS][2] = { { 0 } };
	uint32_t pkts[PL_COLS][2] = { { 0 } }, lost[PL_COLS][2] = { { 0 } };
	double colw, a, top = pl_y(fr, fr->ymax), base = pl_y(fr, 0);
	unsigned i, k, ncol = 0;
	int d;

	for (d = 0; d < 2; d++)
		if (pl_usable(s[d]) && pl_nbins(s[d]) > ncol)
			ncol = pl_nbins(s[d]);
	if (ncol > PL_COLS)
		ncol = PL_COLS;
	if (ncol == 0)
		return;
	colw = (double)(fr->t1 - fr->t0) / ncol;
	for (d = 0; d < 2; d++)
		for (i = 0; pl_usable(s[d]) && i < pl_nbins(s[d]); i++) {
			a = (double)(s[d]->t0_us + (uint64_t)i * s[d]->bin_us -
			    fr->t0);
			k = (unsigned)(a / colw);
			if (k >= ncol)
				k = ncol - 1;
			bytes[k][d] += s[d]->bytes[i];
			pkts[k][d] += s[d]->packets[i];
			lost[k][d] += s[d]->lost[i];
		}
	for (k = 0; k < ncol; k++) {
		double x0 = pl_x(fr, fr->t0 + (uint64_t)(k * colw));
		double x1 = pl_x(fr, fr->t0 + (uint64_t)((k + 1) * colw));
		double t = (double)(fr->t0 - fr->base) + k * colw;

		fprintf(f, "<rect class=\"hit\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.1f\"><title>%.4g-%.4g s", x0,
		    top, x1 - x0, base - top, t / 1e6, (t + colw) / 1e6);
		for (d = 0; d < 2; d++)
			fprintf(f, "\n%s: %llu bytes (%.4g kbit/s), %u packets, "
			    "%u lost", name[d], (unsigned long long)bytes[k][d],
			    (double)bytes[k][d] * 8.0 / colw * 1e3,
			    pkts[k][d], lost[k][d]);
		fputs("</title></rect>", f);
	}
}

/* The step line of s: V to each bin's value, H to its end. */
static void
pl_steps(FILE *f, const struct pl_frame *fr, const struct ins_series *s)
{
	unsigned i, n = pl_nbins(s);

	for (i = 0; i < n; i++)
		fprintf(f, "V%.1fH%.1f", pl_y(fr, pl_value(s, i, PL_RATE)),
		    pl_x(fr, s->t0_us + (uint64_t)(i + 1) * s->bin_us));
}

static void
pl_rate_series(FILE *f, const struct pl_frame *fr, const struct ins_series *s,
    int d)
{
	double x0 = pl_x(fr, s->t0_us), base = pl_y(fr, 0);

	fprintf(f, "<path class=\"area\" fill=\"%s\" d=\"M%.1f %.1f",
	    pl_colour[d], x0, base);
	pl_steps(f, fr, s);
	fprintf(f, "V%.1fZ\"/><path class=\"line\" stroke=\"%s\" "
	    "d=\"M%.1f %.1f", base, pl_colour[d], x0,
	    pl_y(fr, pl_value(s, 0, PL_RATE)));
	pl_steps(f, fr, s);
	fputs("\"/>", f);
}

static void
pl_loss_series(FILE *f, const struct pl_frame *fr, const struct ins_series *s,
    int d)
{
	unsigned i, n = pl_nbins(s);
	double base = pl_y(fr, 0), x0, x1, w, y;

	for (i = 0; i < n; i++) {
		uint64_t a = s->t0_us + (uint64_t)i * s->bin_us;

		if (s->lost[i] == 0)
			continue;
		x0 = pl_x(fr, a);
		x1 = pl_x(fr, a + s->bin_us);
		w = (x1 - x0) / 2;
		if (w < 1)
			w = 1;
		y = pl_y(fr, (double)s->lost[i]);
		fprintf(f, "<rect class=\"bar\" fill=\"%s\" x=\"%.1f\" "
		    "y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
		    pl_colour[d], x0 + d * w, y, w, base - y);
	}
}

static void
pl_chart(FILE *f, const struct inspect *ins, const struct ins_series *s[2],
    const char *name[2], enum pl_kind k)
{
	const char *title = k == PL_RATE ? "Throughput per direction" :
	    "Lost packets (sequence gaps) per time bin";
	struct pl_frame fr = { .t0 = UINT64_MAX, .t1 = 0 };
	double v, top = 0;
	unsigned i;
	int d;

	for (d = 0; d < 2; d++) {
		if (!pl_usable(s[d]))
			continue;
		if (s[d]->t0_us < fr.t0)
			fr.t0 = s[d]->t0_us;
		if (s[d]->t0_us + pl_nbins(s[d]) * s[d]->bin_us > fr.t1)
			fr.t1 = s[d]->t0_us + pl_nbins(s[d]) * s[d]->bin_us;
		for (i = 0; i < pl_nbins(s[d]); i++)
			if ((v = pl_value(s[d], i, k)) > top)
				top = v;
	}
	fprintf(f, "<figure class=\"chart\"><svg viewBox=\"0 0 %d %d\" "
	    "width=\"100%%\" role=\"img\" aria-label=\"%s\"><text "
	    "class=\"ctitle\" x=\"%d\" y=\"14\">%s</text>", PL_W, PL_H, title,
	    PL_L, title);
	pl_legend(f, s, name);
	if (fr.t1 <= fr.t0) {
		fprintf(f, "<rect class=\"empty\" x=\"%d\" y=\"%d\" width=\"%d\" "
		    "height=\"%d\"/><text class=\"nodata\" x=\"%d\" y=\"%d\" "
		    "text-anchor=\"middle\">no data</text></svg></figure>\n",
		    PL_L, PL_T, PL_W - PL_L - PL_R, PL_H - PL_T - PL_B,
		    (PL_L + PL_W - PL_R) / 2, (PL_T + PL_H - PL_B) / 2 + 5);
		return;
	}
	fr.base = ins->first_ts != 0 && ins->first_ts <= fr.t0 ?
	    ins->first_ts : fr.t0;
	if (k == PL_LOSS && top < PL_TICKS)
		fr.ystep = 1;
	else
		fr.ystep = pl_nice(top > 0 ? top : 1, PL_TICKS);
	fr.ymax = fr.ystep;
	while (fr.ymax < top && fr.ymax < 1e300)
		fr.ymax += fr.ystep;
	if (k == PL_LOSS && fr.ymax < 1)
		fr.ymax = 1;
	pl_axes(f, &fr, k == PL_RATE ? "bit/s" : "packets");
	for (d = 0; d < 2; d++) {
		if (!pl_usable(s[d]))
			continue;
		if (k == PL_RATE)
			pl_rate_series(f, &fr, s[d], d);
		else
			pl_loss_series(f, &fr, s[d], d);
	}
	pl_columns(f, &fr, s, name);
	if (k == PL_LOSS && top == 0)
		fprintf(f, "<text class=\"note\" x=\"%d\" y=\"%d\" "
		    "text-anchor=\"middle\">no sequence gaps</text>",
		    (PL_L + PL_W - PL_R) / 2, PL_T + 24);
	fputs("</svg></figure>\n", f);
}

void
hx_plots(FILE *f, const struct inspect *ins, const struct ins_call *c)
{
	const struct ins_series *s[2] = { &c->dir[0].series,
	    &c->dir[1].series };
	const char *name[2];

	if (c->kind == INS_CALL_GRE_ONLY)
		name[0] = "A &#8594; B", name[1] = "B &#8594; A";
	else
		name[0] = "PNS &#8594; PAC", name[1] =
		    "PAC &#8594; PNS";
	fputs("<div class=\"charts\">", f);
	pl_chart(f, ins, s, name, PL_RATE);
	pl_chart(f, ins, s, name, PL_LOSS);
	fputs("</div>\n", f);
}
