"""Generate the `gongshi.v1` Python package beside the .proto files.

The generated modules live in protos/gongshi/ and are installed as the one
importable package `gongshi` (see pyproject.toml), so no service keeps a copy.
`--check` regenerates into a temporary folder and fails when the committed code
differs, which is how CI catches stale generated code.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
import tempfile
from pathlib import Path

from grpc_tools import protoc

PROTO_ROOT = Path(__file__).resolve().parent
PACKAGE_DIRS = ("gongshi", "gongshi/v1")
GENERATED_SUFFIXES = ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py")


def generate(out_dir: Path) -> None:
    protos = sorted(str(p.relative_to(PROTO_ROOT)) for p in (PROTO_ROOT / "gongshi").rglob("*.proto"))
    grpc_include = Path(protoc.__file__).parent / "_proto"
    args = [
        "protoc",
        f"-I{PROTO_ROOT}",
        f"-I{grpc_include}",
        f"--python_out={out_dir}",
        f"--pyi_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        *protos,
    ]
    if protoc.main(args) != 0:
        sys.exit("protoc failed")
    for package in PACKAGE_DIRS:
        init = out_dir / package / "__init__.py"
        init.parent.mkdir(parents=True, exist_ok=True)
        init.touch()


def generated_files(root: Path) -> set[str]:
    return {
        str(p.relative_to(root)) for p in (root / "gongshi").rglob("*") if p.name.endswith(GENERATED_SUFFIXES)
    }


def check() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        generate(fresh)
        expected, present = generated_files(fresh), generated_files(PROTO_ROOT)
        stale = sorted(
            name
            for name in expected | present
            if name not in expected
            or name not in present
            or not filecmp.cmp(fresh / name, PROTO_ROOT / name, shallow=False)
        )
    if stale:
        print("Generated protobuf code is stale; run `make proto` and commit:", *stale, sep="\n  ")
        return 1
    print(f"generated protobuf code is fresh ({len(expected)} files)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if generated code is stale")
    if parser.parse_args().check:
        return check()
    # Generate aside first: a failing protoc must not leave the package half deleted.
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        generate(fresh)
        for old in generated_files(PROTO_ROOT) - generated_files(fresh):
            (PROTO_ROOT / old).unlink()
        for name in generated_files(fresh):
            target = PROTO_ROOT / name
            if not target.exists() or not filecmp.cmp(fresh / name, target, shallow=False):
                shutil.copyfile(fresh / name, target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
