"""Stages take what the previous stage made: audit and push use a Build they are given."""

from __future__ import annotations

import pytest

from iosgen.build import build_site
from iosgen.build.files import BuiltFile
from iosgen.diff.audit import audit_site, intended_config
from iosgen.errors import UsageError
from iosgen.model.site import Site


def test_audit_site_uses_the_build_it_is_given(sites: dict[str, Site]) -> None:
    site = sites["R-ITD"]
    build = build_site(site)
    text = build.files[0].content
    # a build whose config differs from what the site renders: the audit must compare
    # against the given one, so the site's own rendering is not consulted again
    edited = text.replace("hostname ", "hostname X", 1)
    other = build._replace(files=(BuiltFile(build.files[0].path, edited),))
    assert audit_site(site, edited, build=other).status == "in_sync"
    assert audit_site(site, edited).status == "drift"
    assert audit_site(site, text, build=build).status == "in_sync"


def test_a_build_of_another_site_is_refused(sites: dict[str, Site]) -> None:
    site = sites["R-ITD"]
    build = build_site(site)
    stranger = build._replace(hostname="R-OTHER")
    with pytest.raises(UsageError, match="not this IOS site's config"):
        intended_config(site, stranger)
