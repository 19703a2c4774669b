import csv
import importlib.util
from pathlib import Path

import pytest

from eventscope.ontology import Ontology, quad_class_of_root

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PACKAGE_DATA = REPO / "eventscope" / "ontology" / "data"


def read_tsv(name: str, key: str = "code") -> dict[str, dict[str, str]]:
    with (PACKAGE_DATA / name).open(encoding="utf-8", newline="") as fh:
        return {row[key]: row for row in csv.DictReader(fh, delimiter="\t")}


def load_build_script():
    spec = importlib.util.spec_from_file_location("build_ontology", REPO / "scripts" / "build_ontology.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def onto() -> Ontology:
    return Ontology.load()


def test_load_is_cached(onto):
    assert Ontology.load() is onto


def test_known_code_0332_matches_the_files(onto):
    codes = read_tsv("cameo_event_codes.tsv")
    plover = read_tsv("plover_mapping.tsv", key="cameo_code")
    et = onto.event_type("0332")
    assert et.code == "0332" and et.root == "03"
    assert et.quad_class == 1 == int(codes["0332"]["quad_class"])
    assert et.goldstein == 5.2 == float(codes["0332"]["goldstein"])
    assert et.plover == "AGREE" == plover["0332"]["plover_event"]
    assert et.name == codes["0332"]["name"]
    assert onto.valid_event_code("0332")


def test_known_codes_111_and_195(onto):
    assert onto.event_type("111").quad_class == 3
    assert onto.event_type("111").plover == "ACCUSE"
    assert onto.event_type("195").plover == "ASSAULT"
    assert onto.plover("195") == "ASSAULT"
    assert onto.event_type("195").quad_class == 4


def test_unknown_codes_fall_back_to_longest_known_prefix(onto):
    et = onto.event_type("1010")
    assert et.root == "10"
    assert et.quad_class == onto.event_type("10").quad_class == 3
    assert et.goldstein == onto.event_type("101").goldstein  # 101 is the longest known prefix
    assert et.plover == "REQUEST"
    assert "(unknown code, as 101)" in et.name
    assert not onto.valid_event_code("1010")

    k = onto.event_type("174K")
    parent = onto.event_type("174")
    assert (k.root, k.quad_class, k.goldstein, k.plover) == (
        "17",
        parent.quad_class,
        parent.goldstein,
        "COERCE",
    )
    assert "(unknown code, as 174)" in k.name


def test_missing_goldstein_takes_the_parents(onto):
    # 1951 is in the CAMEO 1.1b3 manual only and has no Goldstein value of its own.
    assert read_tsv("cameo_event_codes.tsv")["1951"]["goldstein"] == ""
    assert onto.valid_event_code("1951")
    assert onto.event_type("1951").goldstein == onto.event_type("195").goldstein == -10.0


def test_codes_with_no_known_prefix_do_not_raise(onto):
    for code in ("802", "901", "", "abc", "8", " 042 "):
        et = onto.event_type(code)
        assert et.root == code.strip()[:2]
    assert onto.event_type("802").quad_class is None
    assert onto.event_type("802").plover is None
    assert onto.event_type(" 042 ").code == "042"


def test_cameo_01_02_have_no_plover(onto):
    for code in ("01", "010", "012", "02", "020", "0213"):
        assert onto.plover(code) is None
        assert onto.event_type(code).plover is None
    assert onto.event_type("010").quad_class == 1


def test_plover_root_split_and_overrides(onto):
    assert onto.plover("081") == "CONCEDE"
    assert onto.plover("084") == "RETREAT"
    assert onto.plover("163") == "COERCE"  # override of root 16's mapping
    assert onto.plover("1213") == "REJECT"  # in the PLOVER file, not in CAMEO


def test_quad_class_root_rule():
    roots = ("01", "05", "06", "08", "09", "13", "14", "20")
    assert [quad_class_of_root(r) for r in roots] == [1, 1, 2, 2, 3, 3, 4, 4]
    assert quad_class_of_root("21") is None and quad_class_of_root("x") is None


def test_every_table_code_is_consistent(onto):
    for code, row in read_tsv("cameo_event_codes.tsv").items():
        et = onto.event_type(code)
        assert et.root == code[:2] == row["root"]
        assert et.quad_class == quad_class_of_root(code[:2])
        assert et.goldstein is not None
    for code, row in read_tsv("plover_mapping.tsv", key="cameo_code").items():
        assert onto.plover(code) == (row["plover_event"] or None)


def test_countries_and_actor_types(onto):
    assert onto.is_country("IRN")
    assert not onto.is_country("GOV")
    assert onto.country_name("IRN") == "Iran"
    assert onto.country_name("XYZ") is None
    assert onto.actor_type("GOV") == "Government"
    assert onto.actor_type("UNO") == "United Nations"
    assert onto.actor_type("SUN") is not None  # religion table
    assert onto.actor_type("kur") == onto.actor_type("KUR") == "Kurd"  # ethnic table, lower case upstream
    assert onto.actor_type("QQQ") is None


def test_build_script_reproduces_package_data(tmp_path):
    build = load_build_script()
    counts = build.build(SHARED, tmp_path)
    assert counts["cameo_event_codes.tsv"] == 316 and counts["plover_mapping.tsv"] == 318
    for name in counts:
        assert (tmp_path / name).read_bytes() == (PACKAGE_DATA / name).read_bytes(), name
    sources = (tmp_path / "SOURCES.md").read_text(encoding="utf-8")
    for words in ("CC BY-SA 4.0", "MIT", "GDELT", "py-gdelt", "CAMEO2PLOVER-2021.txt"):
        assert words in sources
    # leading zeros survive
    rebuilt = Ontology.from_dir(tmp_path)
    assert rebuilt.event_type("0332").plover == "AGREE"


def test_build_script_reports_bad_input(tmp_path, capsys):
    build = load_build_script()
    assert build.main(["--shared", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")]) == 1
    assert "missing" in capsys.readouterr().err

    fake = tmp_path / "shared" / "ontology"
    fake.mkdir(parents=True)
    for name in build.TABLES:
        (fake / name).write_bytes((SHARED / "ontology" / name).read_bytes())
    (fake / "cameo_countries.tsv").write_text("code\tname\tnote\nIRN\tIran\t\nIRN\tIran again\t\n")
    assert build.main(["--shared", str(tmp_path / "shared"), "--out", str(tmp_path / "out")]) == 1
    assert "duplicate code 'IRN'" in capsys.readouterr().err
