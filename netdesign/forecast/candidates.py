"""Candidate models, each fitted with statsmodels on a (seasonally adjusted) series.

Every fitter takes the adjusted history ``y`` (parcels/month, float array without gaps) and a
horizon ``h`` and returns a `Fit`: point forecast, forecast variance per horizon (same units
squared), AICc where the likelihood is comparable, and the parameters (for the stored spec).
Fitters raise on failure; the caller (`engine`) catches, counts and skips.

ETS forecast variances are the analytic ones of Hyndman et al. (2008, table 6.1, class 1;
`ets_variance`): ``σ² [1 + Σ_{j<h} c_j²]`` with ``c_j = α + β φ (1 − φ^j) / (1 − φ)``; for
multiplicative error the same expression is applied to the relative error (first-order
approximation, ``var ≈ f² σ² [...]``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from statsmodels.tools import eval_measures
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.holtwinters import ExponentialSmoothing
from statsmodels.tsa.statespace.sarimax import SARIMAX

from netdesign.forecast import ets_start, hw_start

# Non-seasonal ETS forms fitted on the seasonally adjusted series: (error, trend, damped).
ETS_FORMS: dict[str, tuple[str, str | None, bool]] = {
    "ANN": ("add", None, False),
    "AAN": ("add", "add", False),
    "AAdN": ("add", "add", True),
    "MNN": ("mul", None, False),
    "MAdN": ("mul", "add", True),
}
GRID_START = True  # start ANN/AAdN fits from `ets_start.best_start` (False: statsmodels')
MIN_ARIMA_OBS = 8  # the ARIMA member estimates 3 parameters from the first differences
ARIMA_ORDERS: tuple[tuple[int, int, int], ...] = ((0, 1, 1), (1, 1, 0), (1, 1, 1), (2, 1, 2))


@dataclass
class Fit:
    """One fitted candidate: forecasts and variances for horizons 1..h on the fitted scale."""

    name: str
    mean: np.ndarray
    var: np.ndarray
    aicc: float = float("nan")
    params: dict = field(default_factory=dict)
    relative: bool = False  # variance derived from a multiplicative (relative) error


def ets_variance(sigma2: float, alpha: float, beta: float, phi: float, h: int,
                 gamma: float = 0.0, m: int = 0) -> np.ndarray:
    """Forecast variance for horizons 1..h of an additive-error ETS model (class 1 of
    Hyndman et al. 2008, table 6.1): ``σ² [1 + Σ_{j<h} c_j²]``, ``c_j = α + β φ (1 − φ^j) /
    (1 − φ) + γ·[j mod m = 0]`` (error-correction β and γ; no trend: β = 0; no damping:
    φ = 1; no season: γ = 0)."""
    j = np.arange(1, h)
    if beta == 0.0:
        c = np.full(h - 1, alpha)
    elif phi >= 1.0 - 1e-12:
        c = alpha + beta * j
    else:
        c = alpha + beta * phi * (1.0 - phi ** j) / (1.0 - phi)
    if gamma and m > 0:
        c = c + gamma * (j % m == 0)
    return sigma2 * np.r_[1.0, 1.0 + np.cumsum(c ** 2)]


def fit_ets(y: np.ndarray, h: int, form: str) -> Fit:
    """Fit ETS `form` (one of `ETS_FORMS`) by maximum likelihood (statsmodels `ETSModel`).

    Additive-error ANN and AAdN start from the best point of a grid with the initial states
    concentrated out (`ets_start`; statsmodels' fixed default start when `GRID_START` is
    off or for the other forms): fewer likelihood evaluations, and a higher likelihood on most
    fits than from statsmodels' start.

    Only the estimated parameters are taken from statsmodels' optimiser, then one smoothing
    pass gives the final states, the residuals and the log-likelihood: statsmodels' results
    object would also compute a numerical Hessian for standard errors, which the engine never
    uses and which costs about a quarter of the fit. Point forecasts, AICc and residual
    variance equal those of the full results object (checked in the tests).
    """
    error, trend, damped = ETS_FORMS[form]
    if error == "mul" and np.min(y) <= 0:
        raise ValueError("multiplicative error needs positive data")
    model = ETSModel(y, error=error, trend=trend, damped_trend=damped)
    start = None
    if GRID_START and error == "add" and (trend is None or damped):
        start = ets_start.best_start(np.asarray(y, float), damped)
    params = np.asarray(model.fit(start_params=start, disp=False, return_params=True), float)
    fitted, states = model.smooth(params, return_raw=True)
    fitted, states = np.asarray(fitted, float), np.asarray(states, float)
    alpha = float(params[0])
    beta = float(params[1]) if trend else 0.0
    phi = float(params[2]) if damped else 1.0
    level = states[-1, 0]
    slope = states[-1, 1] if trend else 0.0
    mean = level + slope * np.cumsum(phi ** np.arange(1, h + 1))
    resid = (y - fitted) / fitted if error == "mul" else y - fitted
    # residual variance with the degrees of freedom of the estimated parameters (smoothing,
    # damping and initial states): the in-sample MSE alone understates out-of-sample error
    n_par = len(params)
    sigma2 = float(np.mean(resid ** 2)) * len(y) / max(len(y) - n_par, 1)
    var = ets_variance(sigma2, alpha, beta, phi, h)
    if error == "mul":
        var = var * mean ** 2
    llf = float(model.loglike(params))
    aicc = float(eval_measures.aicc(llf, len(y), n_par + 1))  # + 1: the residual variance
    return Fit(f"ets_{form}", mean, var, aicc, {"alpha": alpha, "beta": beta, "phi": phi},
               relative=error == "mul")


def fit_theta(y: np.ndarray, h: int, ses: Fit | None = None) -> Fit:
    """Classical Theta (Assimakopoulos & Nikolopoulos 2000) as simple exponential smoothing
    with drift (Hyndman & Billah 2003): the SES forecast plus half the slope ``b0`` of the
    least-squares line through the history, ``b0/2 · (j − 1 + 1/α − (1 − α)^n / α)`` at step
    j (the forecast formula of statsmodels' ``ThetaModel``).

    The SES part is `ses`, an ETS(A,N,N) fit of the same series (fitted here when not
    given), i.e. α and the initial level by maximum likelihood; the engine fits ETS(A,N,N)
    anyway, so Theta costs only the line. Variance: that of the ETS(A,N,N) forecast.
    """
    if ses is None:
        ses = fit_ets(y, h, "ANN")
    n = len(y)
    alpha = float(ses.params["alpha"])
    b0 = float(np.polyfit(np.arange(n, dtype=float), np.asarray(y, float), 1)[0])
    steps = np.arange(h, dtype=float)
    if alpha > 0:
        steps += 1.0 / alpha - (1.0 - alpha) ** n / alpha
    mean = float(ses.mean[0]) + 0.5 * b0 * steps
    return Fit("theta", mean, np.asarray(ses.var, float).copy(),
               params={"alpha": alpha, "b0": b0})


def fit_holt_winters(y: np.ndarray, h: int, m: int, multiplicative: bool,
                     n_alpha: int | None = None) -> Fit:
    """Damped-trend Holt–Winters on the raw (not seasonally adjusted) series, seasonal
    period `m`, multiplicative seasonality when `multiplicative` (positive data) else
    additive; statsmodels' `ExponentialSmoothing` with the heuristic initial states of
    Hyndman et al. (2008, §2.6.1) and least squares for the smoothing and damping
    parameters, started from the best point of a grid over (α, β*, γ) evaluated vectorised
    (`hw_start`; `n_alpha` points along α, None = `hw_start.N_ALPHA`, 29 = statsmodels' own
    brute-force grid, 0 = statsmodels' own brute-force loop). Its seasonal pattern adapts over
    time, unlike the classical decomposition's fixed indices.

    Variance: `ets_variance` of ETS(A,Ad,A) with the error-correction trend smoothing
    β = α β* (β* is statsmodels' component-form `smoothing_trend`) and σ² = SSE / (n − p) of
    the one-step errors on the raw scale (p = 4 smoothing and damping parameters; the
    heuristic initial states are not estimated); for a multiplicative season this is a
    first-order approximation.
    """
    seasonal = "mul" if multiplicative else "add"
    if multiplicative and np.min(y) <= 0:
        raise ValueError("multiplicative seasonality needs positive data")
    model = ExponentialSmoothing(y, trend="add", damped_trend=True, seasonal=seasonal,
                                 seasonal_periods=m, initialization_method="heuristic")
    n_alpha = hw_start.N_ALPHA if n_alpha is None else n_alpha
    if n_alpha == 0:
        res = model.fit()
    else:
        l0, b0, s0 = model.initial_values()
        start = hw_start.best_start(np.asarray(y, float), m, l0, b0, np.asarray(s0, float),
                                    multiplicative, n_alpha)
        res = model.fit(start_params=start)
    mean = np.asarray(res.forecast(h), float)
    p = res.params
    alpha, beta_star = float(p["smoothing_level"]), float(p["smoothing_trend"])
    gamma, phi = float(p["smoothing_seasonal"]), float(p["damping_trend"])
    sigma2 = float(res.sse) / max(len(y) - 4, 1)
    var = ets_variance(sigma2, alpha, alpha * beta_star, phi, h, gamma, m)
    form = "AAdM" if multiplicative else "AAdA"
    return Fit(f"hw_{form}", mean, var,
               params={"alpha": alpha, "beta": beta_star, "gamma": gamma, "phi": phi})


def fit_arima(y: np.ndarray, h: int, order: tuple[int, int, int] | None = None) -> Fit:
    """ARIMA(p,1,q) with drift on the adjusted series; order by AICc over `ARIMA_ORDERS`."""
    orders = [tuple(order)] if order else list(ARIMA_ORDERS)
    best: Fit | None = None
    for o in orders:
        if len(y) < sum(o) + 8:
            continue
        res = SARIMAX(y, order=o, trend="c").fit(disp=False)  # "c" with d=1 is a drift
        if not np.isfinite(res.aicc):
            continue
        if best is None or res.aicc < best.aicc:
            fc = res.get_forecast(h)
            best = Fit("arima", np.asarray(fc.predicted_mean, float),
                       np.asarray(fc.var_pred_mean, float), float(res.aicc),
                       {"order": list(o)})
    if best is None:
        raise ValueError("no ARIMA order could be fitted")
    best.name = "arima_{}{}{}".format(*best.params["order"])
    return best


def fit_arima_drift(y: np.ndarray, h: int) -> Fit:
    """ARIMA(0,1,1) with drift on the (adjusted) series: the ARIMA member of "auto".

    Estimated by exact maximum likelihood with statsmodels' `SARIMAX` on the first
    differences: an MA(1) with a constant, the constant being the drift per period, the
    residual variance concentrated out, no standard errors. The differences are standardised
    before the fit (drift and residual s.d. rescaled after): on the raw scale the drift is
    hundreds of times larger than θ and the optimiser stops early along it. Start: zero
    constant, θ = −0.5 (SES with α = 0.5).

    Forecast ``k`` periods ahead: ``y_n + θ e_n + k c`` (last residual ``e_n``, drift ``c``).
    Variance, with θ and c taken as known: ``σ² [1 + (k − 1)(1 + θ)²]``.
    """
    y = np.asarray(y, float)
    if len(y) < MIN_ARIMA_OBS:
        raise ValueError(f"ARIMA member needs at least {MIN_ARIMA_OBS} observations")
    d = np.diff(y)
    centre, scale = float(np.mean(d)), float(np.std(d))
    if scale <= 0:
        scale = 1.0
    z = (d - centre) / scale
    res = SARIMAX(z, order=(0, 0, 1), trend="c", concentrate_scale=True).fit(
        start_params=[0.0, -0.5], disp=False, cov_type="none")
    theta = float(res.params[1])
    drift = centre + scale * float(res.params[0])
    mean = y[-1] + np.cumsum(centre + scale * np.asarray(res.forecast(h), float))
    # residual variance with the degrees of freedom of the two estimated parameters
    sigma2 = float(res.scale) * scale ** 2 * len(d) / max(len(d) - 2, 1)
    var = sigma2 * (1.0 + np.arange(h) * (1.0 + theta) ** 2)
    return Fit("arima_011_drift", mean, var, params={"theta": theta, "drift": drift})


def fit_croston(y: np.ndarray, h: int, alpha: float = 0.1) -> Fit:
    """Croston's method with the Syntetos–Boylan bias correction (intermittent volumes).

    Demand sizes and inter-demand intervals are smoothed with SES (α = 0.1); the flat forecast
    is ``(1 − α/2) z / p``. Variance: that of the per-period values around their mean.
    """
    nz = np.flatnonzero(y > 0)
    if nz.size == 0:
        return Fit("croston", np.zeros(h), np.zeros(h))
    sizes = y[nz]
    gaps = np.diff(np.r_[-1, nz]).astype(float)
    z, p = sizes[0], gaps[0]
    for s, g in zip(sizes[1:], gaps[1:], strict=True):
        z += alpha * (s - z)
        p += alpha * (g - p)
    level = (1 - alpha / 2) * z / p
    var = float(np.var(y[-min(len(y), 36):], ddof=1)) if len(y) > 1 else level ** 2
    return Fit("croston", np.full(h, level), np.full(h, var), params={"alpha": alpha})


def fit_mean(y: np.ndarray, h: int) -> Fit:
    """Mean of a very short history; variance of the values (or 25 % of the level if one)."""
    level = float(np.mean(y))
    var = float(np.var(y, ddof=1)) if len(y) > 1 else (0.25 * level) ** 2
    var = max(var, (0.05 * level) ** 2)
    steps = np.arange(1, h + 1)
    return Fit("mean", np.full(h, level), var * (1 + steps / max(len(y), 1)))


def fit_seasonal_naive(y: np.ndarray, h: int, m: int) -> Fit:
    """Seasonal naive (lag m; naive when shorter than a season); random-walk variance."""
    lag = m if len(y) >= m and m > 1 else 1
    last = y[-lag:]
    steps = np.arange(h)
    mean = last[steps % lag].astype(float)
    d = y[lag:] - y[:-lag]
    sigma2 = float(np.mean(d ** 2)) if d.size else (0.25 * float(np.mean(y))) ** 2
    var = sigma2 * (steps // lag + 1)
    return Fit("seasonal_naive" if lag > 1 else "naive", mean, var)
