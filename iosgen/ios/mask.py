"""What every secret value is replaced with wherever a config or a line is shown.

A module of its own so that the model (which masks a Secret's repr) does not load the
whole secret table of `ios.secrets` on the build path.

>>> MASK
'<redacted>'
"""

MASK = "<redacted>"
