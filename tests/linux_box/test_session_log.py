"""The Linux push's session log (`--session-log DIR`, as for routers): every command and
the box's answer in `DIR/<host>.log`, redacted: no CHAP secret, no login or sudo
password, and no file content (an upload by path and size, a read by its paths: the
base64 of chap-secrets would carry the secret past any redaction)."""

from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path

from iosgen.build import build_site
from iosgen.model.secret import Secret
from iosgen.model.site import Site
from iosgen.push.linux import push_linux_host
from iosgen.push.outcome import Status
from tests.linux_box.conftest import SUDO_PASSWORD, Box


def forbidden(site: Site, *more: str) -> list[str]:
    """Each secret, and the base64 of each file that holds one."""
    secrets = [c.chap_password.reveal() for c in site.pptp_clients.values()] + list(more)
    chap = next(f for f in build_site(site).files if f.path == "etc/ppp/chap-secrets")
    return [*secrets, base64.b64encode(chap.content.encode()).decode()]


def test_the_session_log_records_the_push_redacted(box: Box, site: Site, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    outcome = push_linux_host(
        site, None, box.options(force=True, session_log_dir=logs), target=box.target
    )
    assert outcome.status is Status.PUSHED, outcome.message
    text = (logs / "plovdiv-gw.log").read_text()
    assert f"-- plovdiv-gw: connected to 127.0.0.1:{box.port} as root (root)" in text
    assert "sftp: put /etc/ppp/chap-secrets as " in text
    assert "plovdiv-gw$ systemctl restart pptp-sofia.service" in text
    assert "(output not logged)" in text  # the read of the managed files
    assert text.rstrip().endswith("-- plovdiv-gw: pushed: 11 file(s) written")
    for secret in forbidden(site):
        assert secret not in text
    # a second push appends (a rollback's fresh session keeps what was sent first)
    push_linux_host(site, None, box.options(session_log_dir=logs), target=box.target)
    again = (logs / "plovdiv-gw.log").read_text()
    assert again.startswith(text) and again.rstrip().endswith("the box already has the built tree")


def test_a_sudo_login_leaves_its_password_out_of_the_log(
    sudo_box: Box, site: Site, tmp_path: Path
) -> None:
    logs = tmp_path / "logs"
    options = sudo_box.options(force=True, session_log_dir=logs)
    device = replace(options.device, sudo_password=Secret(SUDO_PASSWORD, source="test"))
    outcome = push_linux_host(site, None, replace(options, device=device), target=sudo_box.target)
    assert outcome.status is Status.PUSHED, outcome.message
    text = (logs / "plovdiv-gw.log").read_text()
    assert "as iosgen (sudo)" in text
    for secret in forbidden(site, SUDO_PASSWORD):
        assert secret not in text
