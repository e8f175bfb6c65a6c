{#-
    Overrides dbt-duckdb's py_write_table (dbt/include/duckdb/macros/adapters.sql, dbt-duckdb
    1.11): how a Python model's result becomes its table. The same, except that pyarrow is imported
    only for a result that may be a pyarrow table. A DuckDB relation needs none, and the import
    alone costs about 0.2 s: most nights int_churn_model__fits returns its stored relation, and
    that import was most of its time.
-#}
{% macro py_write_table(temporary, relation, compiled_code, partitioned_by=none, sorted_by=none) -%}
{{ compiled_code }}

def materialize(df, con):
    import duckdb
    if not isinstance(df, duckdb.DuckDBPyRelation):
        try:
            import pyarrow
            if isinstance(df, pyarrow.Table):
                # https://github.com/duckdb/duckdb/issues/6584
                import pyarrow.dataset
        except ImportError:
            pass
    tmp_name = '__dbt_python_model_df_' + '{{ relation.identifier }}'
    con.register(tmp_name, df)
    {% if partitioned_by or sorted_by %}
    con.execute('create table {{ relation }} as select * from ' + tmp_name + ' limit 0')
    {% if partitioned_by %}
    con.execute('alter table {{ relation }} set partitioned by ({{ partitioned_by }})')
    {% endif %}
    {% if sorted_by %}
    con.execute('alter table {{ relation }} set sorted by ({{ sorted_by }})')
    {% endif %}
    con.execute('insert into {{ relation }} select * from ' + tmp_name)
    {% else %}
    con.execute('create table {{ relation }} as select * from ' + tmp_name)
    {% endif %}
    con.unregister(tmp_name)
{% endmacro %}
