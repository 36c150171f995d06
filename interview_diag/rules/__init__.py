"""Rule files (one per finding code) and the code that loads and validates them."""
