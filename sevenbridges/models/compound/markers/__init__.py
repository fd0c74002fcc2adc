"""Values of genome markers."""
