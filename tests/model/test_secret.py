"""The secret resolver shows no value: not in its repr, not through its environment."""

from __future__ import annotations

import pytest

from iosgen.model.secret import SecretResolver


def test_the_resolvers_repr_names_the_file_and_no_value() -> None:
    resolver = SecretResolver(
        environ={"IOSGEN_R_ITD_PASSWORD": "env-clear-text"},
        secrets={"chap": "file-clear-text"},
        secrets_file="inventory/secrets.yaml",
    )
    shown = repr(resolver)
    assert "env-clear-text" not in shown and "file-clear-text" not in shown
    assert "IOSGEN_R_ITD_PASSWORD" not in shown  # nor the environment's names
    assert shown == "SecretResolver(secrets_file='inventory/secrets.yaml', 1 secrets)"


def test_the_resolver_resolves_both_kinds_of_reference() -> None:
    resolver = SecretResolver(environ={"PW": "s3cret"}, secrets={"chap": "c4ap"})
    assert resolver.resolve("${PW}").reveal() == "s3cret"
    assert resolver.resolve("secret:chap").reveal() == "c4ap"
    assert resolver.resolve("plain").source == "literal"


def test_the_default_resolver_reads_the_process_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IOSGEN_TEST_RESOLVER_DEFAULT", "from-env")
    assert SecretResolver().resolve("${IOSGEN_TEST_RESOLVER_DEFAULT}").reveal() == "from-env"
