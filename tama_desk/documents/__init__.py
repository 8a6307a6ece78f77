"""PDF renderers (reportlab): data in, PDF bytes out. The caller chooses the file name."""
