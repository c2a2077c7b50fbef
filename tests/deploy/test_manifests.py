"""deploy/k8s (rendered without kubectl), deploy/compose.yaml and deploy/Dockerfile.

The kustomize trees are rendered by deploy/k8s/render.py, every object is validated
against the Kubernetes OpenAPI schemas shipped offline by kubernetes-validate
(strict: unknown fields fail), and then checked for what the schemas cannot see:
probes, resources, Services that reach their pods, env that resolves, settings
that agree with each other. The NATS config that the manifests and the compose
file hand to nats-server is checked by the real nats-server (`-t`).
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from natskit import DEPLOY, NATS_DIR, nats_server_bin

K8S = DEPLOY / "k8s"
SERVICES = {"duties": 50051, "procedures": 50052, "results": 50053, "feedback": 50054}
PROCESSES = (*SERVICES, "gateway")
K8S_VERSIONS = ("1.29.0", "1.37.0")  # oldest we support (grpc probes GA in 1.27) and newest schema
NATS_VAR = re.compile(r"\$(GONGSHI_[A-Z0-9_]+)")
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def _load_render():
    spec = importlib.util.spec_from_file_location("gongshi_k8s_render", K8S / "render.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


render = _load_render()


@pytest.fixture(scope="module")
def trees() -> dict[str, list[dict]]:
    return {
        "base": render.render(K8S / "base"),
        "nats": render.render(K8S / "nats"),
        "production": render.render(K8S / "overlays" / "production"),
    }


def by_kind(objects: list[dict], kind: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def pod_spec(workload: dict) -> dict:
    return workload["spec"]["template"]["spec"]


def env_of(container: dict) -> dict[str, dict]:
    return {e["name"]: e for e in container.get("env", [])}


def config_data(objects: list[dict]) -> dict[str, str]:
    return by_kind(objects, "ConfigMap")["gongshi-config"]["data"]


def secret_data(objects: list[dict], name: str = "gongshi-secrets") -> dict[str, str]:
    secret = by_kind(objects, "Secret")[name]
    return {**secret.get("data", {}), **secret.get("stringData", {})}


# ----------------------------------------------------------------------------- the renderer


def test_renderer_refuses_what_it_does_not_implement(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text("configMapGenerator:\n  - name: x\n    literals: [a=b]\n")
    with pytest.raises(render.RenderError, match="configMapGenerator"):
        render.render(tmp_path)


def test_strategic_merge_merges_lists_by_name() -> None:
    base = {"spec": {"containers": [{"name": "a", "image": "x", "env": [{"name": "A", "value": "1"}]}]}}
    patch = {"spec": {"containers": [{"name": "a", "env": [{"name": "B", "value": "2"}]}]}}
    merged = render.strategic_merge(base, patch)
    assert merged["spec"]["containers"] == [
        {"name": "a", "image": "x", "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]}
    ]
    assert base["spec"]["containers"][0]["env"] == [{"name": "A", "value": "1"}], "inputs untouched"


# ----------------------------------------------------------------------------- Kubernetes schemas


@pytest.mark.slow  # validates every object against a large schema
def test_every_object_validates_against_the_kubernetes_openapi_schema(trees) -> None:
    try:
        from kubernetes_validate import utils as kv
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("kubernetes-validate is not installed (it belongs in the dev extra)")
        pytest.skip("kubernetes-validate not installed")
    checked = 0
    for name, objects in trees.items():
        for obj in objects:
            for version in K8S_VERSIONS:
                try:
                    kv.validate(obj, version, strict=True)
                except kv.ValidationError as exc:
                    pytest.fail(f"{name}: {obj['kind']}/{obj['metadata']['name']} (k8s {version}): {exc}")
                checked += 1
    assert checked >= 2 * (13 + 5 + 24)


def test_every_object_has_identity(trees) -> None:
    for objects in trees.values():
        for obj in objects:
            assert obj.get("apiVersion") and obj.get("kind"), obj
            name = obj["metadata"]["name"]
            assert DNS_LABEL.match(name) and len(name) <= 63, name


# ----------------------------------------------------------------------------- workloads


def test_workloads_have_images_resources_probes_and_graceful_stop(trees) -> None:
    objects = trees["production"]
    workloads = {**by_kind(objects, "Deployment"), **by_kind(objects, "StatefulSet")}
    assert set(workloads) == {*PROCESSES, "nats"}
    for name, wl in workloads.items():
        spec = pod_spec(wl)
        labels = wl["spec"]["template"]["metadata"]["labels"]
        assert wl["spec"]["selector"]["matchLabels"].items() <= labels.items(), name
        assert spec["terminationGracePeriodSeconds"] >= 30, name
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        for c in spec["containers"]:
            assert c["image"], name
            for kind in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(c["resources"][kind]), (name, kind)
            for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                assert probe in c, (name, probe)
            assert c["lifecycle"]["preStop"]["exec"]["command"], name
            assert c["securityContext"]["allowPrivilegeEscalation"] is False
            assert c["securityContext"]["readOnlyRootFilesystem"] is True

    for svc, port in SERVICES.items():
        (c,) = pod_spec(workloads[svc])["containers"]
        assert c["command"] == ["python", "-m", f"services.{svc}"]
        assert {"name": "grpc", "containerPort": port} in c["ports"]
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            assert c[probe]["grpc"]["port"] == port, (svc, probe)
    (gw,) = pod_spec(workloads["gateway"])["containers"]
    assert gw["command"] == ["python", "-m", "gateway"]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert gw[probe]["httpGet"] == {"path": "/healthz", "port": "http"}
    (nats,) = pod_spec(workloads["nats"])["containers"]
    assert all(nats[p]["httpGet"]["path"].startswith("/healthz") for p in ("startupProbe", "livenessProbe"))
    assert "ldm" in " ".join(nats["lifecycle"]["preStop"]["exec"]["command"])


def _ports(container: dict) -> set:
    return {p["name"] for p in container["ports"]} | {p["containerPort"] for p in container["ports"]}


def test_services_select_pods_and_target_their_ports(trees) -> None:
    for tree, objects in trees.items():
        workloads = [*by_kind(objects, "Deployment").values(), *by_kind(objects, "StatefulSet").values()]
        for name, svc in by_kind(objects, "Service").items():
            selector = svc["spec"]["selector"]
            selected = [
                w
                for w in workloads
                if selector.items() <= w["spec"]["template"]["metadata"]["labels"].items()
            ]
            assert len(selected) == 1, (tree, name, "selects", len(selected))
            container_ports = set().union(*(_ports(c) for c in pod_spec(selected[0])["containers"]))
            for port in svc["spec"]["ports"]:
                assert port["targetPort"] in container_ports, (tree, name, port)
        for name, pdb in by_kind(objects, "PodDisruptionBudget").items():
            sel = pdb["spec"]["selector"]["matchLabels"]
            assert any(
                sel.items() <= w["spec"]["template"]["metadata"]["labels"].items() for w in workloads
            ), name


def test_env_references_resolve(trees) -> None:
    objects = trees["production"]
    configmaps = by_kind(objects, "ConfigMap")
    secrets = {name: secret_data(objects, name) for name in by_kind(objects, "Secret")}
    pods = [pod_spec(o) for o in objects if o["kind"] in ("Deployment", "StatefulSet", "Job")]
    for spec in pods:
        for c in spec["containers"]:
            for src in c.get("envFrom", []):
                assert src["configMapRef"]["name"] in configmaps
            for e in c.get("env", []):
                ref = e.get("valueFrom", {})
                if "secretKeyRef" in ref:
                    assert ref["secretKeyRef"]["key"] in secrets[ref["secretKeyRef"]["name"]], e
                if "configMapKeyRef" in ref:
                    assert ref["configMapKeyRef"]["key"] in configmaps[ref["configMapKeyRef"]["name"]]["data"]
        for vol in spec.get("volumes", []):
            if "configMap" in vol:
                cm = configmaps[vol["configMap"]["name"]]
                assert {i["key"] for i in vol["configMap"].get("items", [])} <= set(cm["data"])


def test_each_process_gets_its_own_settings(trees) -> None:
    objects = trees["production"]
    config = config_data(objects)
    deployments = by_kind(objects, "Deployment")
    services = by_kind(objects, "Service")
    required = {
        "GONGSHI_DATA_DIR",
        "GONGSHI_NATS_URL",
        "GONGSHI_NATS_REPLICAS",
        "GONGSHI_HTTP_PORT",
        "GONGSHI_LOG_FORMAT",
        "GONGSHI_OTLP_ENDPOINT",
        "GONGSHI_HOST",
    }
    required |= {f"GONGSHI_{s.upper()}_{k}" for s in SERVICES for k in ("PORT", "ADDR", "METRICS_PORT")}
    assert required <= set(config), required - set(config)
    assert config["GONGSHI_LOG_FORMAT"] == "json" and config["GONGSHI_HOST"] == "0.0.0.0"

    for proc in PROCESSES:
        (c,) = pod_spec(deployments[proc])["containers"]
        env = env_of(c)
        assert env["GONGSHI_NATS_USER"]["value"] == proc
        pw = env["GONGSHI_NATS_PASSWORD"]["valueFrom"]["secretKeyRef"]
        assert pw["key"] == f"GONGSHI_NATS_{proc.upper()}_PASSWORD", "each process its own NATS user"
        if proc in SERVICES:
            metrics_port = int(config[f"GONGSHI_{proc.upper()}_METRICS_PORT"])
            assert {"name": "metrics", "containerPort": metrics_port} in c["ports"]
            db = env[f"GONGSHI_{proc.upper()}_DB_URL"]["valueFrom"]["secretKeyRef"]
            assert db["key"] == f"GONGSHI_{proc.upper()}_DB_URL"
            assert secret_data(objects)[db["key"]].startswith("postgresql+asyncpg://")
            assert int(config[f"GONGSHI_{proc.upper()}_PORT"]) == SERVICES[proc]
            other_dbs = [k for k in env if k.endswith("_DB_URL") and k != f"GONGSHI_{proc.upper()}_DB_URL"]
            assert not other_dbs, "a service sees only its own database"
    (gw,) = pod_spec(deployments["gateway"])["containers"]
    assert {"name": "http", "containerPort": int(config["GONGSHI_HTTP_PORT"])} in gw["ports"]
    assert "GONGSHI_ADMIN_TOKEN" in env_of(gw)
    for svc, port in SERVICES.items():
        host, _, addr_port = config[f"GONGSHI_{svc.upper()}_ADDR"].partition(":")
        assert int(addr_port) == port
        assert port in {p["port"] for p in services[host]["spec"]["ports"]}, f"gateway cannot reach {svc}"


def test_nats_url_names_every_statefulset_pod(trees) -> None:
    objects = trees["production"]
    sts = by_kind(objects, "StatefulSet")["nats"]
    headless = by_kind(objects, "Service")[sts["spec"]["serviceName"]]
    assert headless["spec"]["clusterIP"] == "None" and headless["spec"]["publishNotReadyAddresses"]
    urls = config_data(objects)["GONGSHI_NATS_URL"].split(",")
    expected = [
        f"nats://nats-{i}.{headless['metadata']['name']}:4222" for i in range(sts["spec"]["replicas"])
    ]
    assert urls == expected


def test_production_overlay(trees) -> None:
    prod, base = trees["production"], trees["base"]
    for proc in PROCESSES:
        assert by_kind(prod, "Deployment")[proc]["spec"]["replicas"] == 2
        assert by_kind(base, "Deployment")[proc]["spec"]["replicas"] == 1
        assert by_kind(prod, "PodDisruptionBudget")[proc]["spec"]["minAvailable"] == 1
    assert config_data(prod)["GONGSHI_NATS_REPLICAS"] == "3"
    assert config_data(base)["GONGSHI_NATS_REPLICAS"] == "1"
    assert by_kind(prod, "StatefulSet")["nats"]["spec"]["replicas"] == 3
    ns = by_kind(prod, "Namespace")
    assert list(ns) == ["gongshi"]
    for obj in prod:
        if obj["kind"] != "Namespace":
            assert obj["metadata"]["namespace"] == "gongshi", obj["metadata"]["name"]
        if obj["kind"] in ("Deployment", "Job"):
            for c in pod_spec(obj)["containers"]:
                assert c["image"].startswith("registry.example.org/gongshi:"), c["image"]
    vct = by_kind(prod, "StatefulSet")["nats"]["spec"]["volumeClaimTemplates"]
    assert vct[0]["spec"]["resources"]["requests"]["storage"]


# ----------------------------------------------------------------------------- NATS config in k8s


def test_nats_configmap_is_the_repo_config(trees) -> None:
    cm = by_kind(trees["nats"], "ConfigMap")["nats-config"]
    files = render.nats_config_files()
    assert cm["data"] == files, "run: python deploy/k8s/render.py --sync-nats-config"
    sts = by_kind(trees["nats"], "StatefulSet")["nats"]
    annotation = sts["spec"]["template"]["metadata"]["annotations"][render.CONFIG_HASH_ANNOTATION]
    assert annotation == render.nats_config_sha256(files), (
        "run: python deploy/k8s/render.py --sync-nats-config"
    )


def _kubelet_env(container: dict, secrets: dict[str, str], pod_name: str) -> dict[str, str]:
    """The environment the kubelet would give the container (fieldRef, secretKeyRef, $(VAR))."""
    env: dict[str, str] = {}
    for e in container["env"]:
        if "value" in e:
            env[e["name"]] = re.sub(
                r"\$\(([A-Z0-9_]+)\)", lambda m: env.get(m.group(1), m.group(0)), e["value"]
            )
        elif "secretKeyRef" in e["valueFrom"]:
            env[e["name"]] = secrets[e["valueFrom"]["secretKeyRef"]["key"]]
        elif e["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name":
            env[e["name"]] = pod_name
    return env


def test_nats_statefulset_config_is_accepted_by_nats_server(trees, tmp_path: Path) -> None:
    objects = trees["production"]
    sts = by_kind(objects, "StatefulSet")["nats"]
    (container,) = pod_spec(sts)["containers"]
    cm = by_kind(objects, "ConfigMap")["nats-config"]
    (config_vol,) = [v for v in pod_spec(sts)["volumes"] if v["name"] == "config"]
    (mount,) = [m for m in container["volumeMounts"] if m["name"] == "config"]
    root = tmp_path / mount["mountPath"].lstrip("/")
    for item in config_vol["configMap"]["items"]:
        (root / item["path"]).parent.mkdir(parents=True, exist_ok=True)
        (root / item["path"]).write_text(cm["data"][item["key"]])
    args = container["args"]
    conf = tmp_path / args[args.index("-c") + 1].lstrip("/")
    env = _kubelet_env(container, secret_data(objects), "nats-0")

    referenced = set(NATS_VAR.findall("".join(cm["data"].values())))
    assert referenced <= set(env), f"the StatefulSet does not set {referenced - set(env)}"
    assert "route:gsCHANGEME-route@nats-2.nats-headless:6222" in env["GONGSHI_NATS_ROUTES"]
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GONGSHI_")}
    out = subprocess.run(
        [nats_server_bin(), "-c", str(conf), "-t"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert out.returncode == 0, out.stdout + out.stderr


# ----------------------------------------------------------------------------- compose and image


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def env_example() -> dict[str, str]:
    pairs = {}
    for line in (DEPLOY / "env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


COMPOSE_VAR = re.compile(r"\$\{([A-Z0-9_]+)(?::?([-?])([^}]*))?\}")


def interpolate(value: str, variables: dict[str, str]) -> str:
    def one(m: re.Match) -> str:
        name, op, arg = m.group(1), m.group(2), m.group(3)
        if variables.get(name):
            return variables[name]
        if op == "-":
            return arg
        raise AssertionError(f"{name} is not set and has no default")

    return COMPOSE_VAR.sub(one, value)


def test_compose_variables_are_all_in_env_example() -> None:
    text = (DEPLOY / "compose.yaml").read_text()
    example = env_example()
    for m in COMPOSE_VAR.finditer(text):
        name, op = m.group(1), m.group(2)
        assert name in example or op == "-", f"{name} is used by compose.yaml but missing from env.example"


def test_compose_services_have_their_env(compose) -> None:
    services = compose["services"]
    assert set(services) == {"postgres", "nats", "nats-setup", *PROCESSES}
    images = {services[p]["image"] for p in (*PROCESSES, "nats-setup")}
    assert len(images) == 1, "one image for every Gongshi process"
    for p in (*PROCESSES, "nats-setup"):
        assert services[p]["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    common = {
        "GONGSHI_NATS_URL",
        "GONGSHI_NATS_REPLICAS",
        "GONGSHI_LOG_FORMAT",
        "GONGSHI_HOST",
        "GONGSHI_DATA_DIR",
        "GONGSHI_NATS_USER",
        "GONGSHI_NATS_PASSWORD",
    }
    for proc in PROCESSES:
        svc = services[proc]
        env = svc["environment"]
        assert common <= set(env), (proc, common - set(env))
        assert env["GONGSHI_NATS_URL"] == "nats://nats:4222"
        assert env["GONGSHI_NATS_USER"] == proc
        assert env["GONGSHI_NATS_PASSWORD"].startswith(f"${{GONGSHI_NATS_{proc.upper()}_PASSWORD")
        assert "healthcheck" in svc and svc["healthcheck"]["test"], proc
        assert svc["depends_on"], proc
        if proc in SERVICES:
            assert svc["command"] == ["python", "-m", f"services.{proc}"]
            url = env[f"GONGSHI_{proc.upper()}_DB_URL"]
            assert url.startswith(f"postgresql+asyncpg://{proc}:") and url.endswith(f"@postgres:5432/{proc}")
            assert str(SERVICES[proc]) in " ".join(svc["healthcheck"]["test"]), "health check on its own port"
            assert int(env[f"GONGSHI_{proc.upper()}_PORT"]) == SERVICES[proc]
            assert {"postgres", "nats", "nats-setup"} <= set(svc["depends_on"])
    gw = services["gateway"]["environment"]
    assert services["gateway"]["command"] == ["python", "-m", "gateway"]
    for svc, port in SERVICES.items():
        assert gw[f"GONGSHI_{svc.upper()}_ADDR"] == f"{svc}:{port}"
    assert gw["GONGSHI_HTTP_PORT"] == "8000" and "GONGSHI_ADMIN_TOKEN" in gw
    setup = services["nats-setup"]
    assert setup["environment"]["GONGSHI_NATS_USER"] == "admin" and setup["restart"] == "no"


def test_compose_nats_runs_embedded_conf_and_nats_server_accepts_it(compose, tmp_path: Path) -> None:
    nats = compose["services"]["nats"]
    command = nats["command"]
    conf_in_container = command[command.index("-c") + 1]
    mounts = {m.split(":")[1]: m.split(":")[0] for m in nats["volumes"] if m.startswith("./")}
    assert mounts[conf_in_container] == "./nats/embedded.conf"
    assert mounts[str(Path(conf_in_container).parent / "auth.conf")] == "./nats/auth.conf", (
        "include beside it"
    )
    for host_path in mounts.values():
        assert (DEPLOY / host_path).exists(), host_path
    pg_init = [m for m in compose["services"]["postgres"]["volumes"] if m.startswith("./")]
    assert all((DEPLOY / m.split(":")[0]).exists() for m in pg_init)

    example = env_example()
    env = {k: interpolate(str(v), example) for k, v in nats["environment"].items()}
    conf_text = (NATS_DIR / "embedded.conf").read_text() + (NATS_DIR / "auth.conf").read_text()
    assert set(NATS_VAR.findall(conf_text)) <= set(env), "compose's nats lacks a variable of the config"
    env["GONGSHI_NATS_STORE_DIR"] = str(tmp_path / "store")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GONGSHI_")}
    out = subprocess.run(
        [nats_server_bin(), "-c", str(NATS_DIR / "embedded.conf"), *command[2:], "-t"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    # and the passwords the processes get are the ones the server checks
    services = compose["services"]
    for proc in PROCESSES:
        var = f"GONGSHI_NATS_{proc.upper()}_PASSWORD"
        assert interpolate(services[proc]["environment"]["GONGSHI_NATS_PASSWORD"], example) == env[var]


def test_dockerfile_builds_a_pinned_non_root_image() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    froms = re.findall(r"^FROM\s+(\S+)", text, re.M)
    assert froms and all(f == "python:3.11-slim" for f in froms)
    assert re.search(r"pip install -c constraints\.txt \.", text)
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert "deploy/nats/setup_streams.py" in text
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert {".venv", ".git", "var"} <= set(ignore)
