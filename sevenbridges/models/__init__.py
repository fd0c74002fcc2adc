"""One module per platform resource; ``compound`` holds nested values."""
