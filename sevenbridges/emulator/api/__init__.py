"""The emulator's API: a router per URL family, and the applications of
the API and storage listeners."""
