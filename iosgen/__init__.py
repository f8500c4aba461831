"""iosgen: compile a typed site model into IOS 12.4 and Linux pppd configs, check, push, audit."""

__version__ = "0.1.0"
