"""Render deploy/k8s kustomizations without kubectl, and keep the NATS ConfigMap in sync.

    python deploy/k8s/render.py deploy/k8s/overlays/production     # print the YAML
    python deploy/k8s/render.py --sync-nats-config                  # after editing deploy/nats/*.conf

This is a deliberately small subset of kustomize, enough for this tree and no more:
`resources` (files, or folders with a kustomization.yaml), `patches` (strategic-merge
patch files naming their target by apiVersion/kind/metadata.name), `replicas`,
`images` and `namespace`. Any other field stops the render with an error, so the tree
cannot silently grow a feature this renderer would get wrong; `kubectl kustomize`
renders the same tree the same way.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import sys
from pathlib import Path
from typing import Any

import yaml

K8S = Path(__file__).resolve().parent
NATS_CONF_DIR = K8S.parent / "nats"
NATS_CONFIGMAP = K8S / "nats" / "configmap.yaml"
NATS_STATEFULSET = K8S / "nats" / "statefulset.yaml"
CONFIG_HASH_ANNOTATION = "gongshi.io/nats-config-sha256"

SUPPORTED = {"apiVersion", "kind", "resources", "patches", "replicas", "images", "namespace"}
CLUSTER_SCOPED = {
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "PersistentVolume",
    "StorageClass",
    "CustomResourceDefinition",
    "PriorityClass",
}
# Strategic-merge keys of the list fields this tree patches; other lists are replaced.
MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "env": "name",
    "volumes": "name",
    "ports": "name",
    "volumeMounts": "mountPath",
    "volumeClaimTemplates": "metadata.name",
}

Obj = dict[str, Any]


class RenderError(ValueError):
    pass


def _key(obj: Obj) -> tuple[str, str, str]:
    return obj.get("apiVersion", ""), obj.get("kind", ""), (obj.get("metadata") or {}).get("name", "")


def _get(item: Obj, dotted: str) -> Any:
    for part in dotted.split("."):
        item = item.get(part) if isinstance(item, dict) else None
    return item


def strategic_merge(base: Any, patch: Any, field: str = "") -> Any:
    """Merge `patch` into `base` the way kubectl's strategic merge does for the fields used here."""
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for k, v in patch.items():
            if v is None:
                out.pop(k, None)
            elif k in out:
                out[k] = strategic_merge(out[k], v, k)
            else:
                out[k] = copy.deepcopy(v)
        return out
    if isinstance(base, list) and isinstance(patch, list) and field in MERGE_KEYS:
        mk = MERGE_KEYS[field]
        out = [copy.deepcopy(i) for i in base]
        for item in patch:
            key = _get(item, mk)
            match = next((n for n, b in enumerate(out) if _get(b, mk) == key), None)
            if match is None:
                out.append(copy.deepcopy(item))
            else:
                out[match] = strategic_merge(out[match], item, "")
        return out
    return copy.deepcopy(patch)


def load_yaml_docs(path: Path) -> list[Obj]:
    with open(path, encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d is not None]
    for d in docs:
        if not isinstance(d, dict) or not d.get("kind"):
            raise RenderError(f"{path}: not a Kubernetes object: {d!r:.80}")
    return docs


def render(directory: Path | str) -> list[Obj]:
    """The objects `kubectl kustomize DIRECTORY` would print (for the supported subset)."""
    directory = Path(directory).resolve()
    kfile = directory / "kustomization.yaml"
    if not kfile.exists():
        raise RenderError(f"{directory}: no kustomization.yaml")
    k = yaml.safe_load(kfile.read_text(encoding="utf-8")) or {}
    unknown = set(k) - SUPPORTED
    if unknown:
        raise RenderError(f"{kfile}: fields {sorted(unknown)} are not supported by render.py")

    objects: list[Obj] = []
    for res in k.get("resources", []):
        path = (directory / res).resolve()
        objects.extend(render(path) if path.is_dir() else load_yaml_docs(path))
    seen: set[tuple[str, str, str]] = set()
    for obj in objects:
        if _key(obj) in seen:
            raise RenderError(f"{directory}: {_key(obj)} defined twice")
        seen.add(_key(obj))

    for patch in k.get("patches", []):
        if set(patch) != {"path"}:
            raise RenderError(f"{kfile}: only `patches: - path: FILE` is supported, got {patch}")
        for p in load_yaml_docs(directory / patch["path"]):
            idx = next((n for n, o in enumerate(objects) if _key(o) == _key(p)), None)
            if idx is None:
                raise RenderError(f"{kfile}: patch {patch['path']} matches no object {_key(p)}")
            objects[idx] = strategic_merge(objects[idx], p)

    for rep in k.get("replicas", []):
        hits = [
            o
            for o in objects
            if o["kind"] in ("Deployment", "StatefulSet", "ReplicaSet")
            and o["metadata"]["name"] == rep["name"]
        ]
        if not hits:
            raise RenderError(f"{kfile}: replicas for unknown workload {rep['name']}")
        for o in hits:
            o["spec"]["replicas"] = rep["count"]

    for img in k.get("images", []):
        for o in objects:
            pod = (
                (o.get("spec") or {}).get("template", {}).get("spec", {}) if o["kind"] != "Pod" else o["spec"]
            )
            for c in pod.get("containers", []) + pod.get("initContainers", []):
                name, _, tag = c["image"].partition(":")
                if name == img["name"]:
                    c["image"] = f"{img.get('newName', name)}:{img.get('newTag', tag)}"

    if "namespace" in k:
        for o in objects:
            if o["kind"] not in CLUSTER_SCOPED:
                o["metadata"]["namespace"] = k["namespace"]
    return objects


def to_yaml(objects: list[Obj]) -> str:
    return "---\n".join(yaml.safe_dump(o, sort_keys=False, allow_unicode=True) for o in objects)


# ----------------------------------------------------------------------------- NATS config copies


def nats_config_files() -> dict[str, str]:
    return {
        "nats.conf": (NATS_CONF_DIR / "cluster" / "nats.conf").read_text(encoding="utf-8"),
        "auth.conf": (NATS_CONF_DIR / "auth.conf").read_text(encoding="utf-8"),
    }


def nats_config_sha256(files: dict[str, str]) -> str:
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + files[name].encode() + b"\0")
    return h.hexdigest()


class _Literal(str):
    pass


def _literal(dumper: yaml.SafeDumper, value: _Literal) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")


def sync_nats_config() -> bool:
    """Rewrite nats/configmap.yaml and the StatefulSet's config hash; True when something changed."""
    files = nats_config_files()
    dumper = yaml.SafeDumper
    dumper.add_representer(_Literal, _literal)
    cm = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": "nats-config",
            "labels": {"app.kubernetes.io/name": "nats", "app.kubernetes.io/part-of": "gongshi"},
        },
        "data": {name: _Literal(text) for name, text in files.items()},
    }
    text = (
        "# GENERATED by `python deploy/k8s/render.py --sync-nats-config` from\n"
        "# deploy/nats/cluster/nats.conf and deploy/nats/auth.conf. Edit those, not this.\n"
        + yaml.dump(cm, Dumper=dumper, sort_keys=False, allow_unicode=True, width=200)
    )
    changed = not NATS_CONFIGMAP.exists() or NATS_CONFIGMAP.read_text(encoding="utf-8") != text
    if changed:
        NATS_CONFIGMAP.write_text(text, encoding="utf-8")
    sts = NATS_STATEFULSET.read_text(encoding="utf-8")
    lines = sts.splitlines(keepends=True)
    digest = nats_config_sha256(files)
    for n, line in enumerate(lines):
        if line.strip().startswith(CONFIG_HASH_ANNOTATION + ":"):
            indent = line[: len(line) - len(line.lstrip())]
            new = f'{indent}{CONFIG_HASH_ANNOTATION}: "{digest}"\n'
            if line != new:
                lines[n] = new
                NATS_STATEFULSET.write_text("".join(lines), encoding="utf-8")
                changed = True
            break
    else:
        raise RenderError(f"{NATS_STATEFULSET}: no {CONFIG_HASH_ANNOTATION} annotation")
    return changed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("directory", nargs="?", help="a folder with a kustomization.yaml")
    ap.add_argument(
        "--sync-nats-config",
        action="store_true",
        help="copy deploy/nats/{cluster/nats.conf,auth.conf} into the NATS ConfigMap",
    )
    args = ap.parse_args(argv)
    if args.sync_nats_config:
        print("updated" if sync_nats_config() else "already in sync", file=sys.stderr)
    if args.directory:
        sys.stdout.write(to_yaml(render(args.directory)))
    elif not args.sync_nats_config:
        ap.error("give a directory or --sync-nats-config")
    return 0


if __name__ == "__main__":
    sys.exit(main())
