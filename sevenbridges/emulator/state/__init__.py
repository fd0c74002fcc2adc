"""The emulated platform's state: a service per family, each the only owner
of its collections in the store."""
