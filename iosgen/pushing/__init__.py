"""The safe push (issue 5), one job per module; `iosgen.push` is its public face.

`guard` the management-path check, `flow` the push of one host, `safetynet`
which rollback an image offers, `lock` one push per router, `signals` SIGTERM
and SIGHUP handled like Ctrl-C, `history` the local record, `fleet` the
many-host run, `engine` the audit engine as push sees it.
"""
