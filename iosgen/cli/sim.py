"""`iosgen sim`: placeholder until the simulator lands."""
