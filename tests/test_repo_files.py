"""The repository's own files: GitHub workflows, issue forms, PR template, pre-commit and yamllint configuration.

Every check runs offline with the pinned tools in .venv: actionlint (a wheel that ships the binary),
check-jsonschema with the GitHub schemas it vendors, and yamllint.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pytest
import yaml

from macros.load import KINDS

from .conftest import DATA, ROOT

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
PRECOMMIT = ROOT / ".pre-commit-config.yaml"
YAMLLINT = ROOT / ".yamllint.yml"


def load(path: Path) -> Any:
    """Parse a YAML file (safe loader)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def run(*command: str | Path) -> subprocess.CompletedProcess[str]:
    """Run a tool from the repository root and capture its output."""
    return subprocess.run([str(c) for c in command], cwd=ROOT, capture_output=True, text=True, timeout=300)


def actionlint() -> Path:
    """The actionlint binary installed into .venv (or on PATH)."""
    beside = Path(sys.executable).parent / "actionlint"
    found = beside if beside.exists() else shutil.which("actionlint")
    if found is None:
        pytest.fail("actionlint is not installed: it is pinned in requirements.txt (make test installs it)")
    return Path(found)


def check_jsonschema(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run check-jsonschema with the current interpreter."""
    return run(sys.executable, "-m", "check_jsonschema", *args)


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """The `on:` block (YAML 1.1 reads the bare key `on` as true)."""
    on = workflow.get("on", workflow.get(True))
    return on if isinstance(on, dict) else {name: None for name in ([on] if isinstance(on, str) else on)}


# ---------------------------------------------------------------- workflows

def test_the_three_workflows_exist() -> None:
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "deploy.yml", "linkcheck.yml"}


def test_workflows_pass_actionlint() -> None:
    result = run(actionlint(), "-no-color", *WORKFLOWS)
    assert result.returncode == 0, f"actionlint found problems in .github/workflows:\n{result.stdout}{result.stderr}"


def test_actionlint_reports_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.evnt.name }}\n", encoding="utf-8")
    result = run(actionlint(), "-no-color", broken)
    assert result.returncode != 0 and "evnt" in result.stdout, "actionlint must be live, not a stub"


def test_workflows_match_githubs_schema() -> None:
    result = check_jsonschema("--builtin-schema", "vendor.github-workflows", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_a_major_version(path: Path) -> None:
    uses = re.findall(r"uses:\s*(\S+)", path.read_text(encoding="utf-8"))
    loose = [u for u in uses if not re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", u)]
    assert not loose, f"{path.name}: pin each action to a major version tag (owner/name@vN): {loose}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_read_the_repository_only_by_default(path: Path) -> None:
    assert load(path).get("permissions") == {"contents": "read"}, \
        f"{path.name}: set `permissions: contents: read` at the top; grant more per job only where needed"


def test_ci_runs_the_readme_test_command_on_pull_requests_in_debian() -> None:
    ci = load(GITHUB / "workflows" / "ci.yml")
    on = triggers(ci)
    assert "pull_request" in on and on["push"]["branches"] == ["main"]
    assert "cancel-in-progress" in ci["concurrency"] and "pull_request" in str(ci["concurrency"]["cancel-in-progress"])
    job = ci["jobs"]["test"]
    assert "bookworm" in str(job["container"]), "run in a Debian container so that chromium is Debian's package"
    assert any(step.get("run", "").strip() == "bash .ci/run" for step in job["steps"])


def test_ci_also_builds_with_properdocs_and_checks_the_links() -> None:
    """MkDocs 1.x is unmaintained: a second job builds the site with ProperDocs, its maintained fork."""
    job = load(GITHUB / "workflows" / "ci.yml")["jobs"]["properdocs"]
    assert any(step.get("run", "").strip() == "make test-properdocs" for step in job["steps"])
    target = (ROOT / "Makefile").read_text(encoding="utf-8").split("\ntest-properdocs:", 1)[1].split("\n\n", 1)[0]
    assert "QWEN_LINEAGE_BUILDER=properdocs" in target and "links" in target
    assert any(line.startswith("properdocs==") for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines())


def test_deploy_publishes_site_to_pages() -> None:
    deploy = load(GITHUB / "workflows" / "deploy.yml")
    assert set(triggers(deploy)) == {"push", "workflow_dispatch"} and deploy["concurrency"]["group"] == "pages"
    build, publish = deploy["jobs"]["build"], deploy["jobs"]["deploy"]
    assert any(step.get("run", "").strip() == "make build" for step in build["steps"])
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    assert publish["permissions"] == {"pages": "write", "id-token": "write"}
    assert publish["environment"]["name"] == "github-pages" and publish["needs"] == "build"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in publish["steps"])


def test_deploy_keeps_the_build_cache_between_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A deployment restores the last one's chart images (cached by content) before it builds, so it exports
    only the charts that changed; the key is per run, so the pruned cache is saved again each time."""
    from macros.build import Settings

    steps = load(GITHUB / "workflows" / "deploy.yml")["jobs"]["build"]["steps"]
    names = [s.get("uses", "").split("@")[0] or s.get("run", "").strip() for s in steps]
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@") and s["with"]["path"] == ".cache")
    assert steps.index(cache) < names.index("make build"), "restore the cache before the build"
    assert "github.sha" in cache["with"]["key"] and cache["with"]["key"].startswith(cache["with"]["restore-keys"])
    monkeypatch.delenv("QWEN_LINEAGE_CACHE", raising=False)
    assert Settings.read(str(ROOT / "mkdocs.yml"), None, "Q", None).cache_dir == ROOT / ".cache", "the build caches in .cache"


def test_linkcheck_never_runs_on_a_pull_request() -> None:
    linkcheck = load(GITHUB / "workflows" / "linkcheck.yml")
    assert set(triggers(linkcheck)) == {"schedule", "workflow_dispatch"}, \
        "the link check needs the network and must never block a pull request: schedule and workflow_dispatch only"
    (job,) = linkcheck["jobs"].values()
    assert any(step.get("run", "").strip() == "make linkcheck" for step in job["steps"])


# ---------------------------------------------------------------- issue forms and PR template

def test_issue_forms_match_githubs_schema() -> None:
    result = check_jsonschema("--builtin-schema", "vendor.github-issue-forms", *FORMS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_config_matches_githubs_schema() -> None:
    result = check_jsonschema("--builtin-schema", "vendor.github-issue-config", GITHUB / "ISSUE_TEMPLATE" / "config.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def _required_labels(form: Path) -> set[str]:
    """Labels of the form's fields that must be filled in."""
    return {item["attributes"]["label"] for item in load(form)["body"]
            if item.get("validations", {}).get("required") is True}


@pytest.mark.parametrize(("form", "required"), [
    ("new-release.yml", {"Release name", "Release date", "Source URL(s)"}),
    ("correction.yml", {"What is wrong", "What is right", "Source URL(s)"}),
])
def test_issue_forms_require_the_facts_and_their_sources(form: str, required: set[str]) -> None:
    assert _required_labels(GITHUB / "ISSUE_TEMPLATE" / form) == required


def test_blank_issues_are_off_and_contributing_is_linked() -> None:
    config = load(GITHUB / "ISSUE_TEMPLATE" / "config.yml")
    assert config["blank_issues_enabled"] is False
    assert any(link["url"].startswith("https://") and link["url"].endswith("CONTRIBUTING.md") for link in config["contact_links"])


def test_pull_request_template_is_a_checklist() -> None:
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    boxes = re.findall(r"^- \[ \] (.+)$", text, flags=re.M)
    assert len(boxes) >= 6, "the template must be a list of `- [ ]` checkboxes"
    for topic in ("https://", "primary", "secondary", "own words", "make validate", "make test", "errata", "screenshot"):
        assert any(topic.lower() in box.lower() for box in boxes), f"add a checkbox about {topic!r}"


# ---------------------------------------------------------------- pre-commit and yamllint

def _hooks() -> list[tuple[str, dict[str, Any]]]:
    """(repository, hook) for every hook in .pre-commit-config.yaml."""
    return [(repo["repo"], hook) for repo in load(PRECOMMIT)["repos"] for hook in repo["hooks"]]


def _schema_hooks() -> list[dict[str, Any]]:
    return [hook for repo, hook in _hooks() if repo.endswith("/check-jsonschema") and hook["id"] == "check-jsonschema"]


DATA_FILES = sorted({p.name for p in DATA.glob("*.yaml")} | {k.file for k in KINDS.values()})


def _declared_schema(name: str) -> str:
    """The schema a data file names on its `# yaml-language-server: $schema=…` line, relative to the repository."""
    path = DATA / name
    first = path.read_text(encoding="utf-8").split("\n", 1)[0] if path.exists() else ""
    match = re.fullmatch(r"# yaml-language-server: \$schema=\.\./(\S+)", first.strip())
    kind = next((k for k in KINDS.values() if k.file == name), None)
    return match.group(1) if match else f"docs/schema/{kind.schema if kind else name.replace('.yaml', '.schema.json')}"


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_data_file_has_a_schema_hook(name: str) -> None:
    schema = _declared_schema(name)
    hooks = [h for h in _schema_hooks() if re.search(h["files"], f"data/{name}")]
    assert len(hooks) == 1, (f"add one check-jsonschema hook for data/{name} to .pre-commit-config.yaml: "
                             f"files: ^data/{re.escape(name)}$, args: [--schemafile, {schema}]")
    args = hooks[0]["args"]
    assert args[args.index("--schemafile") + 1] == schema, f"the hook for data/{name} must use {schema}"
    assert (ROOT / schema).is_file(), f"{schema} does not exist"


@pytest.mark.parametrize("hook", _schema_hooks(), ids=lambda h: h["files"])
def test_schema_hooks_pass_on_the_data_as_it_is(hook: dict[str, Any]) -> None:
    files = [p for p in sorted(DATA.glob("*.yaml")) if re.search(hook["files"], f"data/{p.name}")]
    assert files, f"hook {hook['files']} matches no data file"
    result = check_jsonschema(*hook["args"], *files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_jsonschema_reads_bare_dates_as_text(tmp_path: Path) -> None:
    """Data dates are bare (released: 2024-06-06); the schema says `type: string`. check-jsonschema keeps them as text."""
    (tmp_path / "schema.json").write_text('{"type": "object", "properties": {"released": '
                                          '{"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"}}}')
    (tmp_path / "entry.yaml").write_text("released: 2024-06-06\n")
    result = check_jsonschema("--schemafile", tmp_path / "schema.json", tmp_path / "entry.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_local_validator_hook() -> None:
    local = [hook for repo, hook in _hooks() if repo == "local"]
    hook = next((h for h in local if "validate" in h["entry"]), None)
    assert hook is not None, "add a local hook that runs `python -m macros.validate`"
    assert (hook["language"], hook["pass_filenames"], hook["files"]) == ("system", False, "^data/")


@pytest.mark.parametrize(("package", "repo", "prefix"), [
    ("check-jsonschema", "https://github.com/python-jsonschema/check-jsonschema", ""),
    ("yamllint", "https://github.com/adrienverge/yamllint", "v"),
])
def test_hook_versions_match_the_pinned_tools(package: str, repo: str, prefix: str) -> None:
    try:
        installed = version(package)
    except PackageNotFoundError:
        pytest.fail(f"{package} is not installed: it is pinned in requirements.txt (make test installs it)")
    revs = {r["rev"] for r in load(PRECOMMIT)["repos"] if r["repo"] == repo}
    assert revs == {prefix + installed}, f"set rev: {prefix}{installed} for {repo} in .pre-commit-config.yaml"


def test_yamllint_passes_on_data_and_github_files() -> None:
    result = run(sys.executable, "-m", "yamllint", "--strict", "--config-file", YAMLLINT, "--format", "parsable",
                 "data", ".github", PRECOMMIT.name, YAMLLINT.name)
    assert result.returncode == 0, f"yamllint (config: .yamllint.yml):\n{result.stdout}{result.stderr}"
