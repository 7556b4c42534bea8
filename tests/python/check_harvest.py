"""Harvests a running reti's catalog as CKAN does: ckanext-dcat's own RDFParser with its
euro_dcat_ap_3 and euro_dcat_ap_2 profiles, on /catalog in Turtle and in RDF/XML, and checks the
CKAN dataset dict it makes against what reti publishes (the licence found in CKAN's default
licence register, every resource with format, media type, size and SHA-256, tags once each,
temporal and spatial coverage). Any field that comes out empty while reti's data has a value
fails.

Usage: python3 tests/python/check_harvest.py http://127.0.0.1:PORT/

Needs ckanext-dcat (and CKAN's source, `pip install --no-deps ckan`; see ckan_stand_in.py).
Prints one line per check and a closing "N passed, N failed" line; exits 1 on any failure.
"""

import json
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ckan_stand_in  # noqa: E402

ckan_stand_in.install()
from ckanext.dcat.processors import RDFParser  # noqa: E402

passed, failed = 0, 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok    {name}")
    else:
        failed += 1
        print(f"FAIL  {name} {detail}".rstrip())


def fetch(base, path, accept=None):
    request = urllib.request.Request(base + path, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


def extras(dataset):
    return {e["key"]: e["value"] for e in dataset.get("extras", [])}


def main(base):
    if not base.endswith("/"):
        base += "/"
    listing = json.loads(fetch(base, "dumps/", "application/json"))
    # the published base (--base), which may differ from the address fetched
    published = listing["checksums"].rsplit("dumps/", 1)[0]
    dumps = {d["url"]: d for d in listing["dumps"]}
    sums = dict(
        reversed(line.split("  ", 1))
        for line in fetch(base, "dumps/SHA256SUMS").decode().splitlines()
    )
    for profile in ["euro_dcat_ap_3", "euro_dcat_ap_2"]:
        for syntax, media_type in [("turtle", "text/turtle"), ("xml", "application/rdf+xml")]:
            where = f"{profile}, {media_type}:"
            parser = RDFParser(profiles=[profile])
            parser.parse(fetch(base, "catalog", media_type).decode("utf-8"), _format=syntax)
            datasets = list(parser.datasets())
            check(f"{where} one dataset", len(datasets) == 1, str(len(datasets)))
            if not datasets:
                continue
            d = datasets[0]
            x = extras(d)
            # the licence, found in CKAN's default register (id cc-by for CC BY)
            check(f"{where} license_id is cc-by", d.get("license_id") == "cc-by",
                  repr(d.get("license_id")))
            # every field reti has a value for
            for key in ["title", "notes", "url"]:
                check(f"{where} {key}", bool(d.get(key)), repr(d.get(key)))
            for key in ["issued", "modified", "identifier", "frequency", "language", "theme",
                        "contact_name", "contact_email", "publisher_name",
                        "publisher_identifier", "publisher_type", "temporal_start",
                        "temporal_end", "spatial_uri", "spatial_bbox", "spatial_centroid",
                        "access_rights", "conforms_to"]:
                check(f"{where} {key}", bool(x.get(key)), repr(x.get(key)))
            check(f"{where} identifier is IPA:local", x.get("identifier") ==
                  "reti:reti-city-networks", repr(x.get("identifier")))
            check(f"{where} temporal coverage 1986-2025",
                  (x.get("temporal_start"), x.get("temporal_end")) == ("1986", "2025"),
                  repr((x.get("temporal_start"), x.get("temporal_end"))))
            check(f"{where} spatial is Italy", x.get("spatial_uri") ==
                  "http://publications.europa.eu/resource/authority/country/ITA")
            # tags: each once
            tags = [t["name"] for t in d.get("tags", [])]
            check(f"{where} tags without duplicates", len(tags) == len(set(tags)) and tags,
                  str(sorted(tags)))
            check(f"{where} the shipped keywords",
                  sorted(tags) == sorted(["city networks", "UNESCO Creative Cities",
                                          "Eurocities", "culture", "reti di città",
                                          "Città creative UNESCO", "cultura"]),
                  str(sorted(tags)))
            # resources: every dump, with what /dumps/ says of it, and the SPARQL endpoint
            resources = d.get("resources", [])
            check(f"{where} a resource per dump and the endpoint",
                  len(resources) == len(dumps) + 1, str(len(resources)))
            seen = set()
            for r in resources:
                url = r.get("url", "")
                name = url.rsplit("/", 1)[-1]
                for key in ["name", "description", "format", "url", "license"]:
                    check(f"{where} {name}: {key}", bool(r.get(key)), repr(r.get(key)))
                if url not in dumps:
                    check(f"{where} {name}: the SPARQL endpoint", url == published + "sparql", url)
                    continue
                seen.add(url)
                dump = dumps[url]
                check(f"{where} {name}: mimetype {dump['mediaType']}",
                      r.get("mimetype") == dump["mediaType"], repr(r.get("mimetype")))
                check(f"{where} {name}: size", r.get("size") == dump["byteSize"],
                      repr(r.get("size")))
                check(f"{where} {name}: hash is its SHA256SUMS line",
                      r.get("hash") == sums.get(name) == dump["sha256"], repr(r.get("hash")))
                check(f"{where} {name}: SHA-256",
                      str(r.get("hash_algorithm", "")).endswith("checksumAlgorithm_sha256"),
                      repr(r.get("hash_algorithm")))
                if name.endswith(".gz") and profile == "euro_dcat_ap_2":
                    # DCAT-AP 2's profile reads dcat:compressFormat (3's extends it)
                    check(f"{where} {name}: compress_format", r.get("compress_format") ==
                          "application/gzip", repr(r.get("compress_format")))
            check(f"{where} every dump harvested", seen == set(dumps), str(set(dumps) - seen))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    try:
        sys.exit(main(sys.argv[1]))
    except Exception as e:  # noqa: BLE001 - any error is a failed harvest
        print(f"FAIL  harvesting {sys.argv[1]}: {type(e).__name__}: {e}")
        sys.exit(1)
