"""The `policy-explorer` command line: thin callers of the library."""
