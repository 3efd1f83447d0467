"""Commands added to the `accords` CLI by their areas: each module exposes `register(app)`."""
