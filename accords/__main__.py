"""python -m accords: the same as the `accords` command."""
from accords.cli import main

main()
