"""Performance benchmarks: measured here, never asserted in tests. See benchmarks/README.md."""
