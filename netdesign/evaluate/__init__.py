"""A fixed design under uncertainty and disruption: demand draws (evaluate), outages (stress),
and a design planned over scenarios (saa). See docs/robust.md."""
