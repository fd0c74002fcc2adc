"""Values of volumes: listing entries, services, properties."""
