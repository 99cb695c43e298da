"""What users see of results: the HTML report, scenario comparison and Excel export.

Python API (the CLI in netdesign/cli/report.py is a thin layer over it):

- `load.open_results(path) -> xarray.Dataset` (schema-checked), `load.select_scenarios`
- `html.render_report(ds, lang="zh", scenarios=None, map_scenario=None) -> str`,
  `html.write_report(results, out, ...) -> Path`
- `compare.compare_scenarios(ds, base, scenarios=None) -> Comparison` (+ `rich_tables`,
  `comparison_markdown`, `write_comparison_csv`, `write_comparison_markdown`)
- `export.write_excel(ds, path, lang="zh", scenarios=None) -> Path`, `export.export_results`
- `tables.*_table(ds) -> pandas.DataFrame` (summary, mode split, hubs, links, corridors,
  forecasts), `charts.fig_*` and `netmap.fig_network_map` (Plotly figures)
"""
