"""dean06: the provincial working group's tool for running Đề án 06."""

__version__ = "0.1.0"
