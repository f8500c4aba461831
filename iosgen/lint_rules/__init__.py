"""The rules of `iosgen lint`: the rule table, a typed view of a parsed config, the checks.

`iosgen.lint` is the public door; these modules are its parts, one concern each.
"""
