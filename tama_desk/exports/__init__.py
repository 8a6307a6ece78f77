"""Excel and CSV writers and readers: data in, bytes out; readers return rows and problems."""
