"""The safe push (issue 5), one job per module; `iosgen.push` is its public face.

`ios` holds the IOS facts the session layer reads answers against, `plan` the
per-host plan, `guard` the management-path check, `flow` the push of one host,
`history` the local record, `fleet` the many-host run.
"""
