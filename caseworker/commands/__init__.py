"""One module per command-line sub-command, each with ``run(args) -> int``; imported lazily by ``cli``."""
