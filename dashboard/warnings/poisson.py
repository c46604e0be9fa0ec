"""Poisson tail probabilities, vectorised over grids (numpy only, no SciPy).

``upper_tail(n, lam)`` = P(X >= n) for X ~ Poisson(lam): how surprising ``n`` new reports are in a
grid that expects ``lam``. Small p = a surge. The sum runs from the mode side so the tiny tails
that matter (1e-5 and below) are computed directly, not as 1 - (something close to 1).
"""

from __future__ import annotations

import numpy as np


def _log_factorials(n_max: int) -> np.ndarray:
    """log(k!) for k = 0..n_max (exact summation: counts per grid are small)."""
    out = np.zeros(n_max + 1)
    if n_max > 0:
        out[1:] = np.cumsum(np.log(np.arange(1, n_max + 1, dtype=float)))
    return out


def upper_tail(n, lam, *, eps: float = 1e-16, max_terms: int = 100_000) -> np.ndarray:
    """P(X >= n | Poisson(lam)), elementwise. ``n`` non-negative integers, ``lam`` >= 0."""
    n = np.asarray(n, dtype=np.int64)
    lam = np.asarray(lam, dtype=float)
    n, lam = np.broadcast_arrays(n, lam)
    if (n < 0).any() or (lam < 0).any() or not np.isfinite(lam).all():
        raise ValueError("counts must be >= 0 and expectations finite and >= 0")
    p = np.ones(n.shape, dtype=float)
    p[(lam == 0) & (n > 0)] = 0.0
    live = (lam > 0) & (n > 0)
    if not live.any():
        return p
    nn, ll = n[live], lam[live]
    logfact = _log_factorials(int(nn.max()))
    res = np.empty(nn.shape)

    # n above the mean: sum the upper tail upward from n; terms shrink at once.
    up = nn > ll
    if up.any():
        k, lm = nn[up].astype(float), ll[up]
        term = np.exp(-lm + k * np.log(lm) - logfact[nn[up]])
        total = term.copy()
        for _ in range(max_terms):
            k = k + 1
            term = term * lm / k
            total += term
            if (term <= eps * total).all():
                break
        res[up] = total

    # n at or below the mean: 1 - P(X <= n-1), summing the lower tail downward from n-1.
    down = ~up
    if down.any():
        k, lm = nn[down].astype(float) - 1, ll[down]
        term = np.exp(-lm + k * np.log(lm) - logfact[nn[down] - 1])
        total = term.copy()
        for _ in range(max_terms):
            active = k > 0
            if not active.any():
                break
            term = np.where(active, term * k / lm, 0.0)
            k = np.where(active, k - 1, 0)
            total += term
            if (term <= eps * total).all():
                break
        res[down] = 1.0 - total
    p[live] = np.clip(res, 0.0, 1.0)
    return p
