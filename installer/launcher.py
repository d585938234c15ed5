"""Entry point of the bundled app: `desktop-dl` with no arguments opens the window."""
import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from desktop_dl.cli import main

    sys.exit(main())
