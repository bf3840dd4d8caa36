"""Excel in and out: exports, the import template and the importer."""
