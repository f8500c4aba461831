"""A small valid site of each platform as data, to mutate one field at a time in tests."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from iosgen.errors import InputError, Problem
from iosgen.model.inventory import load_site
from iosgen.model.secret import SecretResolver
from iosgen.model.site import Site

IOS_SITE: dict[str, Any] = {
    "hostname": "R-INJ",
    "management": {
        "host": "198.51.100.10",
        "username": "netops",
        "password": "${INJ_PASSWORD}",
        "enable_secret": "${INJ_ENABLE}",
    },
    "services": {"password_encryption": False},
    "interfaces": {
        "FastEthernet0/0": {"role": "wan", "ipv4": "dhcp", "description": "WAN"},
        "FastEthernet0/1": {"role": "lan", "ipv4": "192.168.10.1/24", "description": "LAN"},
    },
    "internet_nat": True,
    "users": {"auditor": {"privilege": 5, "secret": "${INJ_AUDITOR}"}},
    "pptp_clients": {
        "sofia": {
            "server": "203.0.113.10",
            "dialer": 2,
            "chap_hostname": "plovdiv",
            "chap_password": "${INJ_CHAP}",
            "remote_networks": ["10.10.0.0/16"],
        }
    },
    "pptp_server": {
        "pool": ["192.168.10.200", "192.168.10.220"],
        "users": {"ivan": "${INJ_IVAN}"},
    },
}

LINUX_SITE: dict[str, Any] = {
    "hostname": "inj-gw",
    "platform": "linux-pppd",
    "management": {"host": "198.51.100.20", "username": "netops", "password": "${INJ_PASSWORD}"},
    "interfaces": {
        "eth0": {"role": "wan", "ipv4": "dhcp"},
        "eth1": {"role": "lan", "ipv4": "192.168.20.1/24"},
    },
    "pptp_clients": {
        "sofia": {
            "server": "203.0.113.10",
            "dialer": 0,
            "chap_hostname": "gabrovo",
            "chap_password": "${INJ_CHAP}",
            "remote_networks": ["10.10.0.0/16"],
        }
    },
}

ENV: dict[str, str] = {
    "INJ_PASSWORD": "netops-inj",
    "INJ_ENABLE": "enable-inj",
    "INJ_AUDITOR": "auditor-inj",
    "INJ_CHAP": "chap-inj",
    "INJ_IVAN": "ivan-inj",
}


def site_data(base: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    """A copy of `base` with the value at `path` replaced (created if missing)."""
    data = copy.deepcopy(base)
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
    return data


def rename_key(base: dict[str, Any], path: tuple[str, ...], new: Any) -> dict[str, Any]:
    """A copy of `base` with the mapping key at `path` renamed to `new`."""
    data = copy.deepcopy(base)
    node = data
    for key in path[:-1]:
        node = node[key]
    node[new] = node.pop(path[-1])
    return data


def write_site(tmp_path: Path, data: dict[str, Any], name: str = "site.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def problems_of(
    tmp_path: Path, data: dict[str, Any], env: dict[str, str] | None = None
) -> list[Problem]:
    """The located problems of a site (empty when it validates)."""
    resolver = SecretResolver(environ={**ENV, **(env or {})})
    try:
        load_site(write_site(tmp_path, data), resolver)
    except InputError as exc:
        return list(exc.problems)
    return []


def valid_site(tmp_path: Path, data: dict[str, Any], env: dict[str, str] | None = None) -> Site:
    return load_site(write_site(tmp_path, data), SecretResolver(environ={**ENV, **(env or {})}))
