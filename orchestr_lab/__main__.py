"""``python -m orchestr_lab`` is the ``orchestr-lab`` command (handy when the script is not on PATH)."""

from .cli import main

if __name__ == "__main__":
    main()
