"""Performance benchmarks (DESIGN.md section 7). Run them as modules, for example
``python -m tests.perf.checkout --products 1000000 --json``; figures go in RESULTS.md."""
