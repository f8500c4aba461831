"""`python -m iosgen`: the same command line as `iosgen`."""

from iosgen.cli import main

if __name__ == "__main__":
    main()
