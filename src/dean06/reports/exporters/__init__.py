"""Exporters of the consolidated report, one module per format (see `base.Exporter`)."""
