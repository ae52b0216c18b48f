"""Catalogue administration: variants, bundles, price lists, CSV import and export."""
