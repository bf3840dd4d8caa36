"""Page forms. They validate input shape only; the rules live in the services."""
