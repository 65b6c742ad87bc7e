#!/usr/bin/env python3
"""Checks the deployment files of deploy/ offline, as far as they can be checked without a
cluster or a container engine:
  - every YAML file under deploy/ is well formed;
  - every ORDERWATCH_* variable set by a manifest, the compose file, the Dockerfile or the
    systemd environment file is one the server or the CLI reads (their --help lists them);
  - Kubernetes: each object has apiVersion, kind, a name and the app label; the Deployment runs
    as non-root with native gRPC probes on its gRPC port, a preStop hook, resource requests and
    a termination grace that covers preStop plus the server's drain, a startup probe that
    outlasts the server's wait for Redis, and no replica count under the HPA; the Services, the
    PodDisruptionBudget and the HorizontalPodAutoscaler select or target that Deployment; the
    ConfigMap and Secret it uses exist, the token file lies on the Secret's mount and the
    non-root user can read it;
    kustomization.yaml lists every manifest but the optional ones;
  - compose: the four services, every file it mounts exists, the image is built from the
    Dockerfile, Redis has a volume at redis.conf's dir, Grafana reads the dashboards where the
    provisioning says;
  - Grafana provisioning: the data source and the dashboard provider carry their fields;
  - Dockerfile: Debian 12 stages, a non-root user, a health check, and a runtime stage that
    installs every Debian package owning a shared library the two programs link.
usage: check_deploy.py DEPLOY_DIR SETTINGS_FILE RUNTIME_PACKAGES_FILE
  SETTINGS_FILE: the --help texts of orderwatch-server and orderwatch
  RUNTIME_PACKAGES_FILE: the packages owning the libraries the programs link (one per line)
(exit 1 and a list of faults if any)"""

import os
import re
import sys

import yaml

OPTIONAL_MANIFESTS = {"prescale.yaml"}  # documented in deploy/README.md, applied on purpose


class Faults:
    def __init__(self):
        self.items = []

    def __call__(self, where, what):
        self.items.append(f"{where}: {what}")


def load_all(path, fault):
    try:
        with open(path, encoding="utf-8") as f:
            return [d for d in yaml.safe_load_all(f) if d is not None]
    except yaml.YAMLError as e:
        fault(path, f"not well-formed YAML: {e}")
        return []


def check_settings(where, names, known, fault):
    for name in names:
        if name.startswith("ORDERWATCH_") and name not in known:
            fault(where, f"{name} is not a setting of orderwatch-server or orderwatch")


def labels_match(selector, labels):
    return all(labels.get(k) == v for k, v in (selector or {}).items())


def check_kubernetes(kdir, known, fault):
    objects = []  # (file, object)
    for name in sorted(os.listdir(kdir)):
        if not name.endswith(".yaml") or name == "kustomization.yaml":
            continue
        for doc in load_all(os.path.join(kdir, name), fault):
            objects.append((name, doc))
    by_kind = {}
    for name, o in objects:
        where = f"kubernetes/{name}"
        for key in ("apiVersion", "kind", "metadata"):
            if key not in o:
                fault(where, f"an object without {key}")
        meta = o.get("metadata") or {}
        if not meta.get("name"):
            fault(where, f"{o.get('kind')} without metadata.name")
        if o.get("kind") != "Namespace" and "app.kubernetes.io/name" not in (meta.get("labels") or {}):
            fault(where, f"{o.get('kind')} {meta.get('name')} lacks label app.kubernetes.io/name")
        by_kind.setdefault(o.get("kind"), []).append((name, o))

    kust = load_all(os.path.join(kdir, "kustomization.yaml"), fault)
    listed = set((kust[0] if kust else {}).get("resources") or [])
    for name in sorted({n for n, _ in objects}):
        if name not in listed and name not in OPTIONAL_MANIFESTS:
            fault("kubernetes/kustomization.yaml", f"does not list {name}")
    for name in listed:
        if not os.path.exists(os.path.join(kdir, name)):
            fault("kubernetes/kustomization.yaml", f"lists {name}, which does not exist")

    deployments = [o for n, o in by_kind.get("Deployment", []) if n == "deployment.yaml"]
    if len(deployments) != 1:
        fault("kubernetes/deployment.yaml", "expected one Deployment")
        return
    dep = deployments[0]
    spec = dep.get("spec") or {}
    pod = (spec.get("template") or {}).get("spec") or {}
    pod_labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
    where = "kubernetes/deployment.yaml"
    if not labels_match((spec.get("selector") or {}).get("matchLabels"), pod_labels):
        fault(where, "the selector does not match the pod template's labels")
    pod_security = pod.get("securityContext") or {}
    if not pod_security.get("runAsNonRoot"):
        fault(where, "the pod does not set runAsNonRoot")
    configmaps = {o["metadata"]["name"]: o for _, o in by_kind.get("ConfigMap", [])}
    secrets = {o["metadata"]["name"]: o for _, o in by_kind.get("Secret", [])}
    containers = pod.get("containers") or []
    if not containers:
        fault(where, "no containers")
    for c in containers:
        cw = f"{where}: container {c.get('name')}"
        if not c.get("image"):
            fault(cw, "no image")
        ports = {p.get("name"): p.get("containerPort") for p in c.get("ports") or []}
        if "grpc" not in ports or "metrics" not in ports:
            fault(cw, "needs ports named grpc and metrics")
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            grpc = (c.get(probe) or {}).get("grpc") or {}
            if grpc.get("port") != ports.get("grpc"):
                fault(cw, f"{probe} is not a native gRPC probe on the gRPC port")
        requests = (c.get("resources") or {}).get("requests") or {}
        if "cpu" not in requests or "memory" not in requests:
            fault(cw, "resources.requests needs cpu and memory (the HPA scales on the cpu request)")
        if "memory" not in ((c.get("resources") or {}).get("limits") or {}):
            fault(cw, "no memory limit")
        env = {}
        for ref in c.get("envFrom") or []:
            name = (ref.get("configMapRef") or {}).get("name")
            if name not in configmaps:
                fault(cw, f"envFrom names ConfigMap {name}, which is not shipped")
            else:
                env.update(configmaps[name].get("data") or {})
        for e in c.get("env") or []:
            env[e.get("name")] = e.get("value")
        check_settings(cw, env, known, fault)
        pre_stop = (((c.get("lifecycle") or {}).get("preStop") or {}).get("exec") or {}).get("command")
        sleep = 0
        if not pre_stop:
            fault(cw, "no preStop hook (endpoints need time to drop the pod)")
        elif pre_stop[0] == "sleep":
            sleep = int(pre_stop[1])
        drain = int(env.get("ORDERWATCH_DRAIN_SECONDS", 10))
        startup = c.get("startupProbe") or {}
        budget = startup.get("periodSeconds", 10) * startup.get("failureThreshold", 3)
        wait = int(env.get("ORDERWATCH_REDIS_WAIT_SECONDS", 10))
        if wait >= budget:
            fault(cw, f"waits {wait} s for Redis, but the startup probe gives up after {budget} s")
        grace = pod.get("terminationGracePeriodSeconds", 30)
        if grace < sleep + drain + 2:
            fault(where, f"terminationGracePeriodSeconds {grace} < preStop {sleep} s + drain {drain} s + 2")
        mounts = {m.get("name"): m.get("mountPath") for m in c.get("volumeMounts") or []}
        for v in pod.get("volumes") or []:
            secret = (v.get("secret") or {}).get("secretName")
            if secret is None:
                continue
            if secret not in secrets:
                fault(where, f"volume {v.get('name')} uses Secret {secret}, which is not shipped")
                continue
            # Secret files belong to root: a non-root user reads them through fsGroup or a
            # mode open to others.
            mode = (v.get("secret") or {}).get("defaultMode", 0o644)
            if not (mode & 0o004 or (pod_security.get("fsGroup") is not None and mode & 0o040)):
                fault(where, f"Secret {secret} is unreadable by the non-root user (no fsGroup with a group-readable mode)")
            tokens = env.get("ORDERWATCH_TOKENS_FILE", "")
            keys = set((secrets[secret].get("stringData") or {})) | set((secrets[secret].get("data") or {}))
            mount = mounts.get(v.get("name"))
            if env.get("ORDERWATCH_AUTH") == "tokens" and (
                    not mount or os.path.dirname(tokens) != mount or os.path.basename(tokens) not in keys):
                fault(where, f"ORDERWATCH_TOKENS_FILE {tokens} is not a key of Secret {secret} at its mount")
    dep_name = dep["metadata"]["name"]
    for kind in ("Service", "PodDisruptionBudget"):
        if kind not in by_kind:
            fault("kubernetes", f"no {kind}")
        for name, o in by_kind.get(kind, []):
            sel = (o.get("spec") or {}).get("selector") or {}
            sel = sel.get("matchLabels", sel) if kind == "PodDisruptionBudget" else sel
            if not sel or not labels_match(sel, pod_labels):
                fault(f"kubernetes/{name}", f"{kind} {o['metadata']['name']} does not select the Deployment's pods")
    for name, o in by_kind.get("Service", []):
        for p in (o.get("spec") or {}).get("ports") or []:
            if p.get("targetPort") not in ("grpc", "metrics"):
                fault(f"kubernetes/{name}", f"port {p.get('name')} targets {p.get('targetPort')}, not a named container port")
    hpas = by_kind.get("HorizontalPodAutoscaler", [])
    if not hpas:
        fault("kubernetes", "no HorizontalPodAutoscaler")
    for name, o in hpas:
        s = o.get("spec") or {}
        if (s.get("scaleTargetRef") or {}).get("name") != dep_name:
            fault(f"kubernetes/{name}", "does not target the Deployment")
        if "replicas" in spec:
            fault(where, "sets replicas, which every apply would reset under the HPA")
        if not 1 <= s.get("minReplicas", 0) <= s.get("maxReplicas", 0):
            fault(f"kubernetes/{name}", "needs 1 <= minReplicas <= maxReplicas")
        if not any(((m.get("resource") or {}).get("name") == "cpu") for m in s.get("metrics") or []):
            fault(f"kubernetes/{name}", "does not scale on cpu")


def check_compose(deploy, known, fault):
    cdir = os.path.join(deploy, "compose")
    docs = load_all(os.path.join(cdir, "compose.yaml"), fault)
    if not docs:
        return
    services = docs[0].get("services") or {}
    where = "compose/compose.yaml"
    for want in ("redis", "orderwatch", "prometheus", "grafana"):
        if want not in services:
            fault(where, f"no service {want}")
    named_volumes = set(docs[0].get("volumes") or {})
    mounts = {}
    for name, s in services.items():
        if not s.get("image") and not s.get("build"):
            fault(where, f"service {name} has neither image nor build")
        for v in s.get("volumes") or []:
            source, target = v.split(":")[0], v.split(":")[1]
            mounts[(name, target)] = source
            if source.startswith("."):
                if not os.path.exists(os.path.normpath(os.path.join(cdir, source))):
                    fault(where, f"service {name} mounts {source}, which does not exist")
            elif source not in named_volumes:
                fault(where, f"service {name} mounts volume {source}, which is not declared")
        env = s.get("environment") or {}
        check_settings(f"{where}: {name}", env if isinstance(env, dict) else
                       [e.split("=")[0] for e in env], known, fault)
    # Redis changes into the configuration's `dir` while reading the file, before any flag:
    # the compose Redis must have that folder, as a volume.
    conf = open(os.path.join(deploy, "redis/redis.conf"), encoding="utf-8").read()
    conf_dir = re.search(r"^dir (\S+)", conf, re.M)
    if conf_dir and conf_dir.group(1) not in {t for (n, t) in mounts if n == "redis"}:
        fault(where, f"redis has no volume at redis.conf's dir {conf_dir.group(1)}")
    build = (services.get("orderwatch") or {}).get("build") or {}
    if not os.path.exists(os.path.join(cdir, build.get("context", "."), build.get("dockerfile", ""))):
        fault(where, "orderwatch is not built from a Dockerfile that exists")
    redis_env = (services.get("orderwatch") or {}).get("environment") or {}
    if str(redis_env.get("ORDERWATCH_REDIS", "")).split(":")[0] not in services:
        fault(where, "ORDERWATCH_REDIS does not name the compose Redis")
    # Grafana reads the dashboards where the provisioning says they are.
    providers = load_all(os.path.join(deploy, "grafana/provisioning/dashboards/orderwatch.yml"), fault)
    path = (((providers[0].get("providers") or [{}])[0]).get("options") or {}).get("path") if providers else None
    if mounts.get(("grafana", path)) != "../grafana/dashboards":
        fault(where, f"grafana does not mount deploy/grafana/dashboards at the provider's path {path}")
    datasources = load_all(os.path.join(deploy, "grafana/provisioning/datasources/orderwatch.yml"), fault)
    for ds in (datasources[0].get("datasources") if datasources else None) or []:
        for key in ("name", "uid", "type", "url"):
            if not ds.get(key):
                fault("grafana/provisioning/datasources/orderwatch.yml", f"a data source without {key}")
        if ds.get("type") == "prometheus" and "prometheus:9090" in ds.get("url", "") and "prometheus" not in services:
            fault("grafana/provisioning/datasources/orderwatch.yml", "points at a prometheus compose lacks")


def check_dockerfile(deploy, known, runtime_packages, fault):
    path = os.path.join(deploy, "docker/Dockerfile")
    where = "docker/Dockerfile"
    text = open(path, encoding="utf-8").read()
    # Continuation lines joined, comments dropped.
    lines = [l for l in re.sub(r"\\\n", " ", text).splitlines() if l.strip() and not l.lstrip().startswith("#")]
    stages, current = [], None
    for line in lines:
        word, _, rest = line.strip().partition(" ")
        word = word.upper()
        if word == "FROM":
            current = {"from": rest.split()[0], "lines": []}
            stages.append(current)
        elif current is not None:
            current["lines"].append((word, rest.strip()))
    if len(stages) < 2:
        fault(where, "expected a build stage and a runtime stage")
        return
    for s in stages:
        if not re.match(r"debian:(12|bookworm)(-slim)?$", s["from"]):
            fault(where, f"stage FROM {s['from']} is not Debian 12")
    runtime = stages[-1]
    installed = set()
    for word, rest in runtime["lines"]:
        if word == "RUN" and "apt-get install" in rest:
            segment = rest.split("apt-get install", 1)[1].split("&&")[0]
            installed |= {w for w in segment.split() if not w.startswith("-")}
        if word == "ENV":
            check_settings(where, re.findall(r"(ORDERWATCH_[A-Z_]+)=", rest), known, fault)
    for p in sorted(set(runtime_packages) - installed):
        fault(where, f"the runtime stage does not install {p}, which the programs link")
    words = {w for w, _ in runtime["lines"]}
    user = [r for w, r in runtime["lines"] if w == "USER"]
    if not user or user[-1].split(":")[0] in ("root", "0"):
        fault(where, "the runtime stage runs as root")
    for need in ("HEALTHCHECK", "ENTRYPOINT", "EXPOSE"):
        if need not in words:
            fault(where, f"the runtime stage has no {need}")
    if not any(w == "ENTRYPOINT" and "orderwatch-server" in r for w, r in runtime["lines"]):
        fault(where, "the entry point is not orderwatch-server")


def main():
    deploy, settings_file, packages_file = sys.argv[1:4]
    fault = Faults()
    help_text = open(settings_file, encoding="utf-8").read()
    known = set(re.findall(r"\b(ORDERWATCH_[A-Z_]+)\b", help_text))
    if len(known) < 10:
        print(f"check_deploy: {settings_file} names only {len(known)} settings", file=sys.stderr)
        return 1
    runtime_packages = [l.strip() for l in open(packages_file) if l.strip()]
    count = 0
    for root, _, files in os.walk(deploy):
        for name in files:
            if name.endswith((".yml", ".yaml")):
                load_all(os.path.join(root, name), fault)
                count += 1
    check_kubernetes(os.path.join(deploy, "kubernetes"), known, fault)
    check_compose(deploy, known, fault)
    check_dockerfile(deploy, known, runtime_packages, fault)
    env_file = os.path.join(deploy, "systemd/orderwatch.env")
    names = [l.split("=")[0].strip() for l in open(env_file) if "=" in l and not l.startswith("#")]
    check_settings("systemd/orderwatch.env", names, known, fault)
    if fault.items:
        print("\n".join(fault.items), file=sys.stderr)
        return 1
    print(f"check_deploy: {count} YAML files well formed; manifests, compose, provisioning, "
          f"Dockerfile ({len(runtime_packages)} runtime packages) and settings consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
