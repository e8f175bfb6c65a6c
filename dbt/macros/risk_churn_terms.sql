{#- The churn model applied term by term, as a query: one row per (account_id, as_of_date,
    feature) of int_accounts__risk_features (aliased `recomputed`; `where`: a filter on it, or none)
    with the feature's value and its contribution to the log-odds, coefficient * (value - mean) / sd,
    from the latest fit made on or before the snapshot's date (int_churn_model__fits: a fit for a
    date learned only from outcomes known before it). Snapshots older than every fit get no terms.
    `fit_fingerprint` names the fit used (its training rows' fingerprint).
    Not stored: its two readers compute the rows they need (int_accounts__churn_risk_scored the
    snapshots it recomputes, fct_account_churn_risk the latest), which costs less than a table of
    every snapshot's terms rewritten and tested each night. -#}
{% macro churn_risk_terms(where=none) %}

with

features as (

    select account_id, as_of_date, columns('^f_')::double
    from {{ ref('int_accounts__risk_features') }} as recomputed
    {%- if where %}
    where {{ where }}
    {%- endif %}

),

fits as (

    select * from {{ ref('int_churn_model__fits') }}

),

fit_dates as (

    select distinct cast(fit_as_of as date) as fit_as_of from fits

),

matched as (

    select
        features.account_id,
        features.as_of_date,
        fit_dates.fit_as_of
    from features
    asof inner join fit_dates
        on features.as_of_date >= fit_dates.fit_as_of

),

values_long as (

    unpivot features on columns('^f_') into name feature value feature_value

),

terms as (

    select
        matched.account_id,
        matched.as_of_date,
        matched.fit_as_of,
        fits.training_fingerprint as fit_fingerprint,
        fits.feature,
        values_long.feature_value,
        fits.coefficient,
        case
            when fits.feature = '(intercept)' then fits.coefficient
            else fits.coefficient * (values_long.feature_value - fits.feature_mean) / fits.feature_sd
        end as contribution
    from matched
    inner join fits
        on cast(fits.fit_as_of as date) = matched.fit_as_of
    left join values_long
        on values_long.account_id = matched.account_id
        and values_long.as_of_date = matched.as_of_date
        and values_long.feature = fits.feature

)

select * from terms

{% endmacro %}
