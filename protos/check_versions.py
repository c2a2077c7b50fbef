"""Fail when grpcio, grpcio-tools and protobuf disagree.

Generated code newer than the installed protobuf runtime fails at import
(grpc#37610), and a grpcio older than the tools that generated the stubs warns
or refuses at import; pinning all three together avoids both.
"""

from __future__ import annotations

import sys
from importlib.metadata import version


def main() -> int:
    grpcio, tools = version("grpcio"), version("grpcio-tools")
    protobuf = version("protobuf")
    problems = []
    if grpcio.split(".")[:2] != tools.split(".")[:2]:
        problems.append(f"grpcio {grpcio} and grpcio-tools {tools} differ in minor version")
    import google.protobuf
    from grpc_tools import protoc  # noqa: F401  (tools import their own protobuf runtime check)

    if google.protobuf.__version__ != protobuf:
        problems.append(f"protobuf metadata {protobuf} != module {google.protobuf.__version__}")
    try:
        import gongshi.v1.results_pb2
        import gongshi.v1.results_pb2_grpc  # noqa: F401
    except Exception as exc:  # any import failure is exactly what this check is for
        problems.append(f"generated code does not import with these versions: {exc}")
    if problems:
        print("Version mismatch:", *problems, sep="\n  ")
        return 1
    print(f"grpcio {grpcio}, grpcio-tools {tools}, protobuf {protobuf}: consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
