#include "learn/lbfgs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"

void lbfgs_defaults(lbfgs_param *p)
{
	p->m = 6;
	p->max_iter = 0;
	p->epsilon = 1e-5;
	p->past = 10;
	p->delta = 1e-5;
	p->c1 = 0;
	p->max_linesearch = 40;
}

static double dot(const double *a, const double *b, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += a[i] * b[i];
	return s;
}

static double l1(const double *x, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += fabs(x[i]);
	return s;
}

/* OWL-QN pseudo-gradient of f + c1 |x|. */
static void pseudo_grad(double *pg, const double *x, const double *g,
			size_t n, double c1)
{
	if (c1 <= 0) {
		memcpy(pg, g, n * sizeof(*pg));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (x[i] > 0)
			pg[i] = g[i] + c1;
		else if (x[i] < 0)
			pg[i] = g[i] - c1;
		else if (g[i] + c1 < 0)
			pg[i] = g[i] + c1;
		else if (g[i] - c1 > 0)
			pg[i] = g[i] - c1;
		else
			pg[i] = 0;
	}
}

int lbfgs_minimize(size_t n, double *x, double *fx, lbfgs_eval_fn eval,
		   lbfgs_progress_fn progress, void *inst,
		   const lbfgs_param *p)
{
	int m = p->m, rc = LBFGS_MAX_ITER;
	double c1 = p->c1;
	double *xp, *g, *gp, *pg, *d, *s, *y, *rho, *alpha, *pf = NULL;
	int stored = 0, head = 0;

	if (n == 0 || m < 1 || p->epsilon < 0 || p->delta < 0 || c1 < 0 ||
	    p->max_linesearch < 1)
		return ERR_ARG;
	xp = malloc(n * sizeof(*xp));
	g = malloc(n * sizeof(*g));
	gp = malloc(n * sizeof(*gp));
	pg = malloc(n * sizeof(*pg));
	d = malloc(n * sizeof(*d));
	s = malloc((size_t)m * n * sizeof(*s));
	y = malloc((size_t)m * n * sizeof(*y));
	rho = malloc((size_t)m * sizeof(*rho));
	alpha = malloc((size_t)m * sizeof(*alpha));
	if (p->past > 0)
		pf = malloc((size_t)p->past * sizeof(*pf));
	if (!xp || !g || !gp || !pg || !d || !s || !y || !rho || !alpha ||
	    (p->past > 0 && !pf)) {
		rc = ERR_NOMEM;
		goto out;
	}
	double f = eval(inst, x, g, n);
	if (c1 > 0)
		f += c1 * l1(x, n);
	if (!isfinite(f)) {
		rc = ERR_NUMERIC;
		goto out;
	}
	pseudo_grad(pg, x, g, n, c1);
	double gnorm = sqrt(dot(pg, pg, n)), xnorm = sqrt(dot(x, x, n));
	if (gnorm / (xnorm > 1 ? xnorm : 1) <= p->epsilon) {
		rc = LBFGS_CONVERGED;
		*fx = f;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		d[i] = -pg[i];
	double step = 1.0 / gnorm;
	for (int k = 1;; k++) {
		memcpy(xp, x, n * sizeof(*xp));
		memcpy(gp, g, n * sizeof(*gp));
		double fp = f;
		if (c1 > 0)
			for (size_t i = 0; i < n; i++)
				if (d[i] * pg[i] >= 0)
					d[i] = 0;
		double dg = dot(d, pg, n);
		if (dg >= 0) {
			/* not a descent direction: restart from steepest descent */
			for (size_t i = 0; i < n; i++)
				d[i] = -pg[i];
			dg = dot(d, pg, n);
			stored = 0;
			step = 1.0 / sqrt(-dg > 0 ? -dg : 1);
			if (dg >= 0) {
				rc = LBFGS_CONVERGED;
				break;
			}
		}
		int ok = 0;
		for (int ls = 0; ls < p->max_linesearch; ls++) {
			for (size_t i = 0; i < n; i++)
				x[i] = xp[i] + step * d[i];
			if (c1 > 0) {
				for (size_t i = 0; i < n; i++) {
					double orth = xp[i] != 0 ? xp[i] : -pg[i];
					if (x[i] * orth <= 0)
						x[i] = 0;
				}
			}
			f = eval(inst, x, g, n);
			if (c1 > 0)
				f += c1 * l1(x, n);
			double dec;
			if (c1 > 0) {
				dec = 0;
				for (size_t i = 0; i < n; i++)
					dec += (x[i] - xp[i]) * pg[i];
			} else {
				dec = step * dg;
			}
			if (isfinite(f) && f <= fp + 1e-4 * dec) {
				ok = 1;
				break;
			}
			step *= 0.5;
		}
		if (!ok) {
			memcpy(x, xp, n * sizeof(*x));
			memcpy(g, gp, n * sizeof(*g));
			f = fp;
			rc = ERR_NUMERIC;
			break;
		}
		pseudo_grad(pg, x, g, n, c1);
		if (progress && progress(inst, x, f, k)) {
			rc = LBFGS_STOPPED;
			break;
		}
		gnorm = sqrt(dot(pg, pg, n));
		xnorm = sqrt(dot(x, x, n));
		if (gnorm / (xnorm > 1 ? xnorm : 1) <= p->epsilon) {
			rc = LBFGS_CONVERGED;
			break;
		}
		if (pf) {
			if (k > p->past) {
				double old = pf[k % p->past];
				if ((old - f) / (fabs(f) > 1e-12 ? fabs(f) : 1e-12) < p->delta) {
					rc = LBFGS_CONVERGED;
					break;
				}
			}
			pf[k % p->past] = f;
		}
		if (p->max_iter > 0 && k >= p->max_iter) {
			rc = LBFGS_MAX_ITER;
			break;
		}
		/* update the correction pairs */
		double *sk = s + (size_t)head * n, *yk = y + (size_t)head * n;
		for (size_t i = 0; i < n; i++) {
			sk[i] = x[i] - xp[i];
			yk[i] = g[i] - gp[i];
		}
		double ys = dot(yk, sk, n), yy = dot(yk, yk, n);
		if (ys > 1e-16 && yy > 0) {
			rho[head] = 1.0 / ys;
			head = (head + 1) % m;
			if (stored < m)
				stored++;
		}
		/* two-loop recursion: d = -H pg */
		for (size_t i = 0; i < n; i++)
			d[i] = -pg[i];
		if (stored > 0) {
			int newest = (head + m - 1) % m;
			for (int j = 0, i = newest; j < stored; j++, i = (i + m - 1) % m) {
				alpha[i] = rho[i] * dot(s + (size_t)i * n, d, n);
				const double *yi = y + (size_t)i * n;
				for (size_t q = 0; q < n; q++)
					d[q] -= alpha[i] * yi[q];
			}
			const double *yn = y + (size_t)newest * n, *sn = s + (size_t)newest * n;
			double gamma = dot(yn, sn, n) / dot(yn, yn, n);
			for (size_t q = 0; q < n; q++)
				d[q] *= gamma;
			int oldest = (head + m - stored) % m;
			for (int j = 0, i = oldest; j < stored; j++, i = (i + 1) % m) {
				double beta = rho[i] * dot(y + (size_t)i * n, d, n);
				const double *si = s + (size_t)i * n;
				for (size_t q = 0; q < n; q++)
					d[q] += (alpha[i] - beta) * si[q];
			}
		}
		step = 1.0;
	}
	*fx = f;
out:
	free(xp);
	free(g);
	free(gp);
	free(pg);
	free(d);
	free(s);
	free(y);
	free(rho);
	free(alpha);
	free(pf);
	return rc;
}
