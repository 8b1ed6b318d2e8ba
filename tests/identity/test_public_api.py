import nbaprops.identity
import nbaprops.ingest


def test_identity_exports_what_it_lists() -> None:
    public = {name for name in vars(nbaprops.identity) if not name.startswith("_")}
    assert set(nbaprops.identity.__all__) == public - {"annotations"}


def test_ingest_exports_what_it_lists() -> None:
    public = {name for name in vars(nbaprops.ingest) if not name.startswith("_")}
    assert set(nbaprops.ingest.__all__) == public - {"annotations"}
