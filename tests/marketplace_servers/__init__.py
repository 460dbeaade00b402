"""Local servers speaking each marketplace's seller API."""
