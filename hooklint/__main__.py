"""``python -m hooklint``."""

from hooklint.cli.launch import entry

if __name__ == "__main__":
    entry()
