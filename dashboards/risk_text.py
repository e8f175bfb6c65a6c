"""Words and numbers of the risk pages: money, the backtest's figures, and what they mean.

Pure: DataFrames in, named values and sentences out; no data access, no Dash.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboards.metrics import NO_VALUE

SCORER_LABELS: dict[str, str] = {
    "churn_risk": "Churn risk score",
    "naive_negative_share_90d": "Share of negative messages (90 days)",
    "naive_days_since_customer_message": "Days since the customer last wrote",
}
BASELINES = ("naive_negative_share_90d", "naive_days_since_customer_message")


def format_money(value: float | None) -> str:
    """A whole amount with thousands separators (the data's own currency).

    >>> format_money(3012.4), format_money(0), format_money(None)
    ('3,012', '0', '—')
    """
    if value is None or pd.isna(value):
        return NO_VALUE
    return f"{value:,.0f}"


@dataclass(frozen=True)
class ScorerFigures:
    """One scorer's backtest figures (``marts.agg_churn_risk_backtest``)."""

    scorer: str
    auc: float | None
    auc_renewal_due: float | None
    base_rate: float | None
    top_decile_precision: float | None
    top_decile_lift: float | None

    @property
    def label(self) -> str:
        return SCORER_LABELS.get(self.scorer, self.scorer)


def scorer_figures(backtest: pd.DataFrame) -> dict[str, ScorerFigures]:
    """Each scorer's headline figures from the backtest's rows.

    >>> df = pd.DataFrame({"scorer": ["churn_risk"] * 2, "measure": ["auc", "top_decile_lift"],
    ...                    "value": [0.9, 4.0]})
    >>> scorer_figures(df)["churn_risk"].top_decile_lift
    4.0
    """
    out = {}
    for scorer, rows in backtest.groupby("scorer", sort=False):
        values = {
            m: float(v)
            for m, v in zip(rows["measure"], rows["value"], strict=True)
            if v is not None and not pd.isna(v)
        }
        out[str(scorer)] = ScorerFigures(
            scorer=str(scorer),
            auc=values.get("auc"),
            auc_renewal_due=values.get("auc_renewal_due"),
            base_rate=values.get("base_rate"),
            top_decile_precision=values.get("top_decile_precision"),
            top_decile_lift=values.get("top_decile_lift"),
        )
    return out


def _pct(value: float | None) -> str:
    return NO_VALUE if value is None else f"{100 * value:.0f}%"


def _times(value: float | None) -> str:
    return NO_VALUE if value is None else f"{value:.1f}×"


def _out_of_100(auc: float | None) -> str:
    return NO_VALUE if auc is None else f"{100 * auc:.0f}"


def backtest_sentences(figures: dict[str, ScorerFigures], horizon_days: int = 90) -> list[str]:
    """What the backtest says, in words a leader reads aloud.

    >>> f = {
    ...     "churn_risk": ScorerFigures("churn_risk", 0.96, 0.79, 0.05, 0.38, 7.6),
    ...     "naive_negative_share_90d": ScorerFigures("naive_negative_share_90d", 0.76, 0.78, 0.05, 0.265, 5.3),
    ...     "naive_days_since_customer_message": ScorerFigures("naive_days_since_customer_message", 0.57, 0.52, 0.05, 0.125, 2.5),
    ... }
    >>> for s in backtest_sentences(f): print(s)
    Of the accounts the score ranked in its riskiest tenth, 38% churned within 90 days: 7.6× the 5% of all accounts.
    Ranking by the share of negative messages (90 days) instead finds 26% (5.3×); by days since the customer last wrote, 12% (2.5×).
    Take one account that churned and one that did not: the score ranks the one that churned as riskier 96 times in 100 (a coin would manage 50; the two simple rules 76 and 57).
    Among accounts with a renewal due, where the renewal date alone says nothing, it does so 79 times in 100, against 78 and 52 for the simple rules.
    The score beats both simple rules on every measure above.
    """
    model = figures.get("churn_risk")
    if model is None:
        return ["The backtest has no rows yet: it needs months of history with churn after them."]
    negative = figures.get(BASELINES[0])
    silent = figures.get(BASELINES[1])
    sentences = [
        f"Of the accounts the score ranked in its riskiest tenth, {_pct(model.top_decile_precision)} "
        f"churned within {horizon_days} days: {_times(model.top_decile_lift)} the "
        f"{_pct(model.base_rate)} of all accounts."
    ]
    if negative and silent:
        sentences.append(
            f"Ranking by the share of negative messages (90 days) instead finds "
            f"{_pct(negative.top_decile_precision)} ({_times(negative.top_decile_lift)}); by days "
            f"since the customer last wrote, {_pct(silent.top_decile_precision)} "
            f"({_times(silent.top_decile_lift)})."
        )
    baseline_aucs = " and ".join(_out_of_100(b.auc) for b in (negative, silent) if b)
    sentences.append(
        "Take one account that churned and one that did not: the score ranks the one that "
        f"churned as riskier {_out_of_100(model.auc)} times in 100 (a coin would manage 50"
        + (f"; the two simple rules {baseline_aucs})." if baseline_aucs else ").")
    )
    if model.auc_renewal_due is not None:
        due = " and ".join(_out_of_100(b.auc_renewal_due) for b in (negative, silent) if b)
        sentences.append(
            "Among accounts with a renewal due, where the renewal date alone says nothing, it does "
            f"so {_out_of_100(model.auc_renewal_due)} times in 100"
            + (f", against {due} for the simple rules." if due else ".")
        )
    sentences.append(verdict(model, [b for b in (negative, silent) if b]))
    return sentences


def verdict(model: ScorerFigures, baselines: list[ScorerFigures]) -> str:
    """Whether the score beats the simple rules on AUC, AUC among renewals and top-decile lift.

    >>> m = ScorerFigures("churn_risk", 0.9, 0.7, 0.1, 0.5, 5.0)
    >>> verdict(m, [ScorerFigures("b", 0.8, 0.75, 0.1, 0.3, 3.0)])
    'The score beats the simple rules on AUC and top-decile lift, not on AUC among renewals due: treat its ranking there with care.'
    """
    measures = {
        "AUC": "auc",
        "AUC among renewals due": "auc_renewal_due",
        "top-decile lift": "top_decile_lift",
    }
    lost = []
    for label, field in measures.items():
        mine = getattr(model, field)
        theirs = [getattr(b, field) for b in baselines if getattr(b, field) is not None]
        if mine is not None and theirs and mine <= max(theirs):
            lost.append(label)
    if not lost:
        return "The score beats both simple rules on every measure above."
    won = [label for label in measures if label not in lost]
    return (
        f"The score beats the simple rules on {' and '.join(won) or 'no measure'}, not on "
        f"{' and '.join(lost)}: treat its ranking there with care."
    )
