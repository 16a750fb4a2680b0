"""Reader comments (see the comments issue; the app is created with the foundation)."""
