"""Benchmark extra_config placement: a site with N ACL lines in extra_config (issue 12).

    .venv/bin/python bench/bench_extra.py [--sizes 2000,8000,50000]

For each N: the validation of the site (every line: shape, mode, secrets; the model
itself, not the YAML reader, which takes site files of up to 1 MiB, about 16,000 such
lines) and the build (`render`: the typed config, then each extra line placed where
IOS prints it), in process time. Before the fix, placement scanned the config once
per line: 8,000 lines took 25.8 s to build; it is now linear in the lines.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SITE = ROOT / "tests" / "build" / "extra" / "R-EXTRA.yaml"
ENV = {"IOSGEN_R_EXTRA_PASSWORD": "Demo-pass1", "IOSGEN_R_EXTRA_ENABLE": "Demo-enable1"}


def run(count: int) -> tuple[float, float]:
    from iosgen.build.ios import render
    from iosgen.model.secret import SecretResolver
    from iosgen.model.site import Site

    data = yaml.safe_load(SITE.read_text(encoding="utf-8"))
    data["extra_config"]["lines"] += [
        f"access-list 150 permit tcp host 10.{i // 250 % 250}.{i % 250}.1 any eq {i % 60000 + 1}"
        for i in range(count)
    ]
    resolver = SecretResolver(environ=ENV, secrets={"snmp_ro": "public-ro-demo"})
    began = time.process_time()
    site = Site.model_validate(data, context={"resolver": resolver})
    loaded = time.process_time()
    text = render(site).text
    built = time.process_time()
    assert text.count("\naccess-list 150 ") == count
    return loaded - began, built - loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="2000,8000,50000")
    args = parser.parse_args()
    run(10)  # warm-up: imports, pydantic schemas
    print(f"{'lines':>7} {'validate s':>10} {'build s':>8}")
    for count in (int(x) for x in args.sizes.split(",")):
        load, build = run(count)
        print(f"{count:>7} {load:>10.2f} {build:>8.2f}")


if __name__ == "__main__":
    main()
