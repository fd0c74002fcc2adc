"""Values of invoices and billing breakdowns."""
