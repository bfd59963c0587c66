"""The installed tool: a wheel built from this checkout, installed into a fresh virtual
environment, generates 304/2023 in a budget repository that holds only data/.

(.ci/run runs it with the rest of the suite.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from generator import DATA_ROOT, PROJECT_ROOT, build
from generator.formats.publish import publish

NAME = "保定市莲池区工业和信息化局2023年部门预算.docx"


def run(cmd, cwd=None, env=None):
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, (cmd, done.stdout, done.stderr)
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"  # a copy, so that building leaves no build/ in the checkout
    shutil.copytree(PROJECT_ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "output", "*.egg-info", "__pycache__", ".pytest_cache", "docs"))
    run([sys.executable, "-m", "pip", "wheel", str(source), "-w", str(tmp / "dist"), "--no-deps", "-q"])
    wheel = next((tmp / "dist").glob("budgetpub-*.whl"))
    venv = tmp / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    python = venv / "bin" / "python"
    run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)])
    # The dependencies (docxtpl, jinja2, ...) from this environment, without its budgetpub.
    site = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return wheel, venv


def test_the_wheel_carries_template_schemas_and_catalogue(installed):
    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    for required in ("generator/templates/publication.docx", "generator/schemas/unit.yaml",
                     "generator/schemas/department.yaml", "generator/schemas/_common.yaml",
                     "generator/classification/function-classification.csv",
                     "generator/classification/economic-classification.csv",
                     "generator/classification/expenditure-classes.csv"):
        assert required in names
    assert not any(n.startswith(("data/", "templates/", "schemas/")) for n in names)


def test_the_sdist_carries_them_too(installed, tmp_path):
    import tarfile
    source = next(installed[0].parent.parent.glob("source"))
    run([sys.executable, "-c", f"from setuptools import build_meta; build_meta.build_sdist({str(tmp_path)!r})"],
        cwd=source)
    names = tarfile.open(next(tmp_path.glob("budgetpub-*.tar.gz"))).getnames()
    for required in ("templates/publication.docx", "schemas/unit.yaml", "schemas/department.yaml",
                     "schemas/_common.yaml", "data/catalogue/function-classification.csv",
                     "data/catalogue/economic-classification.csv", "data/catalogue/expenditure-classes.csv"):
        assert f"budgetpub-0.1.0/{required}" in names


def test_installed_generate_from_root_and_subfolder(installed, tmp_path):
    _, venv = installed
    env = {k: v for k, v in os.environ.items() if k not in ("BUDGETPUB_DATA", "SOURCE_DATE_EPOCH", "PYTHONPATH")}
    located = run([str(venv / "bin" / "python"), "-c", "import generator; print(generator.__file__)"],
                  cwd=tmp_path, env=env).stdout
    assert str(venv) in located  # the wheel's package, not the checkout's

    repo = tmp_path / "office"
    shutil.copytree(DATA_ROOT / "304" / "2023", repo / "data" / "304" / "2023")
    out = repo / "output" / "304" / "2023" / NAME

    done = run([str(venv / "bin" / "generate"), "--dept", "304", "--year", "2023"], cwd=repo, env=env)
    assert done.stdout == f"已生成：output/304/2023/{NAME}\n"
    from_root = out.read_bytes()
    out.unlink()

    done = run([str(venv / "bin" / "budgetpub"), "generate", "--dept", "304", "--year", "2023"],
               cwd=repo / "data" / "304", env=env)
    assert done.stdout == f"已生成：../../output/304/2023/{NAME}\n"
    assert out.read_bytes() == from_root

    # The checkout's build, without a revision stamp (the temporary repository is not in git), published
    # the library's way: the same bytes as the command (the same LibreOffice layout when it is installed).
    publication, _ = build(DATA_ROOT, "304", 2023)
    (library,), _ = publish(publication, ["docx"], out.parent / "library.docx")
    assert from_root == library.read_bytes()

    version = run([str(venv / "bin" / "budgetpub"), "--version"], env=env).stdout
    assert version.strip() == "budgetpub 0.1.0"


def test_the_wheel_carries_the_examples_and_the_editor_schemas(installed):
    names = zipfile.ZipFile(installed[0]).namelist()
    for required in ("generator/examples/899/2024/899001.yaml", "generator/examples/899/2023/department.yaml",
                     "generator/examples/304/2023/304001.yaml", "generator/schemas/unit.schema.json",
                     "generator/schemas/department.schema.json"):
        assert required in names
    assert not any(n.startswith("generator/examples/catalogue") for n in names)


def test_a_new_user_with_only_the_wheel_starts_from_the_example(installed, tmp_path):
    _, venv = installed
    env = {k: v for k, v in os.environ.items() if k not in ("BUDGETPUB_DATA", "SOURCE_DATE_EPOCH", "PYTHONPATH")}
    env["BUDGETPUB_SOFFICE"] = str(tmp_path / "no-libreoffice")  # the .docx alone, quickly
    run([str(venv / "bin" / "budgetpub"), "init", "office", "--example"], cwd=tmp_path, env=env)
    repo = tmp_path / "office"
    sources = sorted(p.relative_to(repo).as_posix() for p in repo.glob("data/899/*/*.yaml"))
    assert sources == [f"data/899/{y}/{f}" for y in (2023, 2024)
                       for f in ("899001.yaml", "899002.yaml", "899003.yaml", "department.yaml")]
    first = (repo / "data" / "899" / "2024" / "899001.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../.budgetpub/unit.schema.json"
    assert (repo / ".budgetpub" / "unit.schema.json").read_bytes() == \
        (PROJECT_ROOT / "schemas" / "unit.schema.json").read_bytes()
    done = run([str(venv / "bin" / "budgetpub"), "check", "--dept", "899", "--year", "2024"], cwd=repo, env=env)
    assert "校验通过" in done.stdout
    done = run([str(venv / "bin" / "generate"), "--dept", "899", "--year", "2024"], cwd=repo, env=env)
    assert done.stdout == "已生成：output/899/2024/示例市示例区文化和旅游局2024年部门预算.docx\n"
    refused = subprocess.run([str(venv / "bin" / "budgetpub"), "init", "office", "--example"], cwd=tmp_path,
                             env=env, capture_output=True, text=True)
    assert (refused.returncode, refused.stdout) == (2, "")
    assert "已经是预算仓库" in refused.stderr
