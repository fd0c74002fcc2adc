"""Rate limit values."""
