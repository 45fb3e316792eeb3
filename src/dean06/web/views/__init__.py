"""Pages, one module per domain; each view is thin: parse, call a service or selector, render."""
